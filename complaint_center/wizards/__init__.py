from . import complaint_penalty_apply
from . import complaint_intake_correction
from . import complaint_statistics_wizard
from . import complaint_register_wizard
from . import complaint_similar_link
from . import complaint_satisfaction_wizard
from . import complaint_print_wizard
