from . import res_company
from . import res_config_settings
from . import complaint_category
from . import complaint_complaint
from . import sale_order
from . import res_partner
