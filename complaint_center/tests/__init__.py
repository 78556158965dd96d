from . import test_numbering
from . import test_lifecycle
from . import test_sale_integration
from . import test_security
from . import test_deadlines
from . import test_sweep
