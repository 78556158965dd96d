"""Selections shared by the complaint and its settings (policies, rules)."""

CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("visit", "Walk-in"),
    ("web", "Website / Online"),
    ("comment_book", "Customer Comment Book"),
    ("fax", "Fax"),
    ("media", "Media / Press"),
    ("regulator", "Regulator Transfer (12315/12365)"),
    ("internal", "Forwarded by a Department"),
    ("portal", "Customer Portal"),
]

SEVERITIES = [
    ("general", "General"),
    ("major", "Major"),
    ("critical", "Critical"),
]

# 紧急程度和影响范围 (003), assessed at classification.
URGENCIES = [
    ("normal", "Normal"),
    ("urgent", "Urgent"),
    ("emergency", "Emergency"),
]

IMPACT_SCOPES = [
    ("individual", "Individual Customer"),
    ("several", "Several Customers"),
    ("wide", "Wide (Region, Market or Public)"),
]

REMEDIES = [
    ("return", "Return"),
    ("exchange", "Exchange"),
    ("repair", "Repair"),
    ("discount", "Discount / Price Reduction"),
    ("refund", "Refund / Compensation"),
    ("apology", "Apology"),
    ("explanation", "Explanation"),
    ("reservice", "Re-service"),
    ("other", "Other"),
]

VALIDITY = [
    ("valid", "Valid"),
    ("invalid", "Not Valid"),
    ("malicious", "Malicious"),
]

SATISFACTION = [
    ("very_satisfied", "Very Satisfied"),
    ("satisfied", "Satisfied"),
    ("neutral", "Neutral"),
    ("unsatisfied", "Unsatisfied"),
]
