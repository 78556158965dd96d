from . import test_delivery_date
