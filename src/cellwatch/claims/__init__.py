"""Recall claims (docs/claims.md): who may claim, the workflow, evidence photos, recall
effectiveness. Pure: no web framework, CLI library or database here.

:mod:`.eligibility` decides with the check whether a unit may claim which recall;
:mod:`.workflow` holds the states and legal steps; :mod:`.claim` the claim's input and
views (public, private, audited); :mod:`.evidence` cleans photos; :mod:`.access` says
whose claims a brand handles; :mod:`.effectiveness` and :mod:`.reported` measure recalls.
"""
