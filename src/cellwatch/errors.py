"""Every error cellwatch raises on purpose, under one root.

::

    CellwatchError
    ├── BundleError            a bundle could not be loaded; carries every BundleIssue
    │   └── ImportRejected(origin, issues)  an imported file (snapshot CSV, CPSC JSON) has errors
    ├── NotFound               a record asked for by key does not exist
    │   ├── RecallNotFound(recall_id)
    │   ├── CompanyNotFound(company_id)
    │   ├── ModelNotFound(brand, model)
    │   ├── CertificateNotFound(number)
    │   ├── RecordNotFound(kind, key)   any other kind of record
    │   ├── TokenNotFound(token_id)
    │   └── JobNotFound(job_id)         no screening job with this id (for this token)
    ├── AccessError            a request may not do what it asks
    │   ├── Unauthenticated    no valid token: missing, unknown, expired or revoked
    │   └── Forbidden          the token's role or company does not allow this
    ├── Conflict               a write does not fit what is stored
    │   ├── RecordExists(kind, key)        a create names a record that exists
    │   ├── StaleRevision(kind, key, stored_digest)  a revision of an older version
    │   ├── RevisionRequired(kind, key)    a revision that names no base version
    │   ├── RegistryChanged(attempts)      the registry kept moving while an import was planned
    │   ├── IllegalTransition(kind, key, current, wanted)  a workflow step the state forbids
    │   ├── AlreadyClaimed(recall_id, serial)  this serial has claimed this recall's remedy
    │   └── JobNotReady(job_id, status)    a screening job's files asked for before it is done
    ├── NotEligible(reasons)   a unit outside a recall's scope claims its remedy (en + zh)
    ├── TooLarge(what, limit)  a request or upload is larger than allowed
    │   └── TooManyRows(name, rows, limit)  an uploaded inventory declares too many rows
    ├── StoreError             the database could not be reached or migrated
    ├── RulePackError(origin, problems)  a shipped rule pack file is invalid
    └── InputError             a value given on the command line or in a request is invalid

The CLI maps them to exit codes in :mod:`cellwatch.cli.app`, the API to HTTP responses in
:mod:`cellwatch.api.errors`, each in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


class CellwatchError(Exception):
    """Root of every error cellwatch raises on purpose."""


@dataclass(frozen=True)
class BundleIssue:
    """One problem in a bundle: where it is and what is wrong."""

    file: str
    location: str  # "line 12" for CSV, "record 3 (id=cn-romoss-2025-06)" for YAML
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class BundleError(CellwatchError):
    def __init__(self, issues: list[BundleIssue]) -> None:
        self.issues = issues
        super().__init__(f"the bundle has {len(issues)} error(s); nothing was changed")


class NotFound(CellwatchError):
    pass


class RecallNotFound(NotFound):
    def __init__(self, recall_id: str) -> None:
        self.recall_id = recall_id
        super().__init__(f"no recall {recall_id!r} in the registry")


class CompanyNotFound(NotFound):
    def __init__(self, company_id: str) -> None:
        self.company_id = company_id
        super().__init__(f"no company {company_id!r} in the registry")


class ModelNotFound(NotFound):
    def __init__(self, brand: str | None, model: str) -> None:
        self.brand = brand
        self.model = model
        where = f" of {brand!r}" if brand else ""
        super().__init__(f"no model {model!r}{where} in the registry")


class CertificateNotFound(NotFound):
    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(f"no certificate {number!r} in the registry")


class RecordNotFound(NotFound):
    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} {key!r} in the registry")


class TokenNotFound(NotFound):
    def __init__(self, token_id: int) -> None:
        self.token_id = token_id
        super().__init__(f"no token {token_id}")


class AccessError(CellwatchError):
    pass


class Unauthenticated(AccessError):
    pass


class Forbidden(AccessError):
    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        self.reasons = reasons or []
        super().__init__(message)


class Conflict(CellwatchError):
    pass


class RecordExists(Conflict):
    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} exists already; revise it instead")


class StaleRevision(Conflict):
    def __init__(self, kind: str, key: str, stored_digest: str) -> None:
        self.kind = kind
        self.key = key
        self.stored_digest = stored_digest
        super().__init__(
            f"{kind} {key!r} was changed since the version this revision is based on; "
            "read it again and revise the current version"
        )


class RevisionRequired(Conflict):
    def __init__(self, kind: str, key: str) -> None:
        self.kind = kind
        self.key = key
        super().__init__(
            f"a revision of {kind} {key!r} must name the version it revises "
            "(If-Match: the digest read with it)"
        )


class TooLarge(CellwatchError):
    def __init__(self, what: str, limit: int) -> None:
        self.what = what
        self.limit = limit
        super().__init__(f"{what} is larger than the limit of {limit:,}")


class TooManyRows(TooLarge):
    """An uploaded inventory declares more rows than a screen upload may hold (a small
    Parquet file of repeated values can declare billions)."""

    def __init__(self, name: str, rows: int, limit: int) -> None:
        CellwatchError.__init__(
            self, f"{name} holds {rows:,} rows, more than the limit of {limit:,} rows")
        self.what = f"{name} with {rows:,} rows"
        self.limit = limit
        self.name = name
        self.rows = rows


class StoreError(CellwatchError):
    pass


class RulePackError(CellwatchError):
    """A rule pack file is invalid; names the file and every problem."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = problems
        super().__init__(f"rule pack {origin}: " + "; ".join(problems))


class InputError(CellwatchError):
    pass


class ImportRejected(BundleError):
    """An imported file has errors; every one is listed (with its line or record)."""

    def __init__(self, origin: str, issues: list[BundleIssue]) -> None:
        super().__init__(issues)
        self.origin = origin
        self.args = (f"{origin} has {len(issues)} error(s); nothing was changed",)


class RegistryChanged(Conflict):
    """Other writes kept changing the registry while an import was being planned."""

    def __init__(self, attempts: int) -> None:
        self.attempts = attempts
        super().__init__(
            f"the registry changed during each of {attempts} attempts to plan the import; "
            "run it again"
        )


class IllegalTransition(Conflict):
    """A workflow step (a claim's, a checkpoint record's) the current state does not allow."""

    def __init__(self, kind: str, key: str, current: str | None, wanted: str,
                 reason: str = "") -> None:
        self.kind = kind
        self.key = key
        self.current = current
        self.wanted = wanted
        where = f"from {current!r}" if current else "as a first step"
        why = f": {reason}" if reason else ""
        super().__init__(f"{kind} {key}: {wanted!r} is not allowed {where}{why}")


class AlreadyClaimed(Conflict):
    """One serial claims a recall's remedy once."""

    def __init__(self, recall_id: str, serial: str, claim_id: str) -> None:
        self.recall_id = recall_id
        self.serial = serial
        self.claim_id = claim_id
        super().__init__(
            f"serial {serial!r} has already claimed the remedy of recall {recall_id!r}"
        )


class NotEligible(CellwatchError):
    """A unit that may not claim a recall's remedy; every reason in English and Chinese.

    ``reasons`` are ``(en, zh)`` pairs (plain strings: errors do not import the domain).
    """

    def __init__(self, reasons: list[tuple[str, str]]) -> None:
        self.reasons = reasons
        super().__init__("not eligible: " + "; ".join(en for en, _ in reasons))


class JobNotFound(NotFound):
    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        super().__init__(f"no screening job {job_id!r}")


class JobNotReady(Conflict):
    """A screening job's result or errors file was asked for before the job finished."""

    def __init__(self, job_id: str, status: str, reason: str | None = None) -> None:
        self.job_id = job_id
        self.status = status
        message = f"screening job {job_id} is {status}"
        if reason:
            message += f": {reason}"
        elif status in ("queued", "running"):
            message += "; ask GET /v1/screen/{id} until it is done"
        super().__init__(message)
