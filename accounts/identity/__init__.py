"""Citizen sign-in with e-identity: an OpenID Connect relying party (VNeID, the national portal's SSO).

Since 1/7/2024 individuals use VNeID level-2 accounts for online public services (Decree 69/2024/NĐ-CP).
The account is keyed on the provider's subject and the verified 12-digit ID number; the citizen's
name, date of birth, sex, permanent address and phone come from the provider's claims.
"""
