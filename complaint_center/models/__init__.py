# The complaint (complaint_complaint) after its mixins and the settings it
# reads; then the models that link to it.
from . import complaint_clock_mixin
from . import complaint_workflow_mixin
from . import complaint_reference_mixin
from . import complaint_activity_mixin
from . import complaint_working_time_mixin
from . import complaint_customer_mail_mixin
from . import res_company
from . import res_config_settings
from . import complaint_category
from . import complaint_policy
from . import complaint_penalty_rule
from . import complaint_complaint
from . import complaint_responsibility
from . import complaint_extension
from . import sale_order
from . import res_partner
from . import complaint_corrective_action
from . import complaint_visit
from . import account_move
from . import complaint_penalty
from . import hr_employee
from . import complaint_penalty_account
from . import complaint_demo
