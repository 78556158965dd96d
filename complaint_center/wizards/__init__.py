from . import complaint_penalty_apply
