"""The bottom layer: vocabulary every domain app shares (periods, the review lifecycle, the audit log, jobs).

Nothing here imports a domain app; every domain app may import from here.
"""
