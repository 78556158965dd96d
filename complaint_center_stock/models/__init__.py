from . import complaint_complaint
