"""FHIR R4: the checklist as a Questionnaire, a visit as a QuestionnaireResponse, the instrument
totals as Observations, and the import of a QuestionnaireResponse into a draft visit.

The builders (``questionnaire``, ``response``, ``observations``, ``importer``) are pure functions
of checklist data and plain values, like the rest of ``checklist``; ``views`` is thin (it reads
through ``services``). A new field of the checklist reaches these resources with no other edit.

Identifiers (documented in README "FHIR"):
- a section is a ``group`` item, linkId = the section key; a field's linkId is
  ``<section>.<field>``; a repeat group is a repeating ``group`` item ``<section>.<group>`` whose
  rows hold ``<section>.<group>.<field>`` items;
- a choice answer is a Coding of the system ``<base>/CodeSystem/<linkId>`` whose code is the
  option's stored value, with its score as the ``ordinalValue`` extension;
- a visit is ``Encounter/<visit id>`` (the visit the import writes to), its patient
  ``Patient/<patient id>``, its clinician ``Practitioner/<user id>``.
"""
