"""The dates and periods the law and the KPK guideline set for gratifikasi, named once.

The kind's clocks (gratifikasi/kind.py), the exemption advice, the forms and the reporter's deadline box all
count with these. No model import here, so the kind definition can read them when it is loaded.
"""

import datetime as dt

# Peraturan KPK 1/2026 (amending Peraturan KPK 2/2019) is in force from this date: new exemption rules and
# a shorter completion period.
AMENDMENT_2026 = dt.date(2026, 1, 20)

# UU 20/2001 Pasal 12C ayat (2): the report reaches KPK within 30 hari kerja of the date received.
LEGAL_DAYS = 30
# Pedoman pengendalian gratifikasi: the employee reports to the UPG within 10 HK of the date received, and
# the UPG forwards within 10 HK of receiving it (never past the legal deadline).
UPG_DAYS = 10
# UU 20/2001 Pasal 12C ayat (3): KPK decides within 30 HK of a complete report.
DECISION_DAYS = 30
# Peraturan KPK 2/2019 jo. 1/2026: completion asked by KPK within 20 HK (30 HK when asked before the amendment).
COMPLETION_DAYS, COMPLETION_DAYS_BEFORE_2026 = 20, 30
