from . import complaint_points_ledger
