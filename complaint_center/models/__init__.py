# Import order is the layer order of complaint.complaint: the base file
# first, then each feature extending only what comes before it
# (tests/test_architecture.py in the repository checks it).
from . import complaint_workflow_mixin
from . import complaint_reference_mixin
from . import complaint_working_time_mixin
from . import res_company
from . import res_config_settings
from . import complaint_category
from . import complaint_policy
from . import complaint_complaint
from . import complaint_complaint_recusal
from . import complaint_complaint_lifecycle
from . import complaint_complaint_approval
from . import complaint_complaint_confidential
from . import complaint_responsibility
from . import complaint_complaint_deadline
from . import complaint_complaint_escalation
from . import complaint_extension
from . import sale_order
from . import res_partner
from . import complaint_corrective_action
from . import complaint_complaint_corrective_action
from . import complaint_complaint_mail
from . import complaint_complaint_feedback
from . import complaint_complaint_intake
from . import complaint_visit
from . import account_move
from . import complaint_complaint_account
from . import complaint_complaint_repeat
from . import complaint_penalty_rule
from . import complaint_penalty
from . import complaint_complaint_penalty
from . import complaint_complaint_guidance
from . import hr_employee
from . import complaint_penalty_account
from . import complaint_demo
