{
    "name": "Complaint Center - Inventory",
    "summary": "Delivery dates of complaints from the sale order's done deliveries",
    "version": "18.0.1.0.0",
    "category": "Sales/Complaints",
    "website": "https://github.com/complaint-center/complaint_center",
    "author": "Complaint Center Developers",
    "maintainers": ["complaint-center"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["complaint_center", "sale_stock"],
    "auto_install": True,
    "installable": True,
}
