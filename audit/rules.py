"""Who may read the audit log: CSU staff, who answer for the portal (django-rules, as the
other apps' rules.py)."""

import rules

rules.add_perm("audit.view_log", rules.is_active & rules.is_staff)
