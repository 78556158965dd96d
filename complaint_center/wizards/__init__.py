from . import complaint_penalty_apply
from . import complaint_intake_correction
