"""Curation: what curators, the scientific council and the network change in a library.

Collections (`collections`), tag corrections and automatic re-tagging (`corrections`), the
validation workflow (`workflow`), submissions from the network (`submissions`), exports
to citation managers (`exports`). Who acts (`kb.actors`) and the audit trail every change
writes (`kb.audit`) sit on kb's ground floor: ingest and sync use them too.

Every change goes through `writes.document_change` or its collection twin: one catalog
transaction that checks the revision the caller read (optimistic concurrency), makes the
change, bumps the revision and records who did what, before and after. The index follows
the catalog afterwards (`writes.follow_index`); a crash in between is caught up by the next
`Library.sync_index` (any write, ingest or the API's start).
"""
