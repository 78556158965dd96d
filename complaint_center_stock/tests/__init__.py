from . import test_delivery_date
from . import test_lot
