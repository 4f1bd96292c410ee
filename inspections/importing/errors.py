"""The one exception the parser raises, and the sentences it says.

Every message is written for the policy officer who uploaded the file: what is wrong and
what to do about it. Callers show `str(error)` as it is.
"""

from __future__ import annotations


class ReportParseError(Exception):
    """The file cannot be read as an inspection report; `str()` says why and what to do."""


EMPTY = "The file is empty: upload the inspection report again."
TOO_BIG = (
    "The file is larger than {limit} MB, which is far bigger than any inspection report: "
    "check that you chose the right file."
)
TOO_MANY_PAGES = (
    "The PDF has {pages} pages, more than the {limit} this service reads: upload the "
    "inspection report on its own, not a bundle of documents."
)
ENCRYPTED = (
    "This PDF is encrypted (protected with a password): save an unprotected copy and upload that."
)
CORRUPT = (
    "This PDF is damaged and cannot be read: download the report again from Ofsted's "
    "website and upload the new copy."
)
TRUNCATED = (
    "This PDF is incomplete (it ends before the end of the document, as a broken download "
    "does): download the report again from Ofsted's website and upload the new copy."
)
SCANNED = (
    "This PDF has no text in it, only images of pages (it looks scanned): upload the "
    "report as published by Ofsted, or a copy with selectable text."
)
BOMB = (
    "This PDF contains far more data than a real report could hold and was not read, to "
    "protect the service: upload the report as published by Ofsted."
)
NOT_A_REPORT_BINARY = (
    "This file is {what}, not an inspection report: upload the report as a PDF or as a text file."
)
NOT_UTF8 = (
    "This text file is not in a character encoding the service reads: it must be saved as "
    "UTF-8 (in Word or Notepad choose 'Save as', then the UTF-8 encoding) and uploaded "
    "again."
)
TEXT_TOO_LONG = (
    "This text file is far longer than any inspection report: check that you chose the right "
    "file, or upload the report as a PDF."
)
NO_RECOMMENDATIONS = (
    "No recommendations could be found in this report: it has no section such as "
    "'Recommendations', 'Areas for improvement', 'What needs to improve' or 'Areas for "
    "priority action'. Upload or paste the whole inspection report as Ofsted published it."
)
NOTHING_TO_IMPROVE = (
    "This letter names nothing to improve and no areas for priority action, so it brings no "
    "recommendations into the plan: check that this is right before saving it."
)
MONITORING_FINDINGS = (
    "A monitoring visit letter makes no recommendations: these items are the letter's "
    "findings that say something still needs to improve, picked out by the service. Check "
    "each against the letter, delete any the plan need not answer and add any it missed."
)
MONITORING_NO_FINDINGS = (
    "A monitoring visit letter makes no recommendations, and no finding that something "
    "still needs to improve could be picked out of this one: add the findings the plan must "
    "respond to by hand, one to an item, or confirm it with none."
)
COMMITTEE_PAPER = (
    "This looks like a council committee report about an inspection, not the inspection "
    "report itself, so its recommendations are the committee's, not Ofsted's: upload the "
    "report Ofsted published."
)
UNREADABLE = (
    "The file could not be read as an inspection report: upload the report as a PDF or as "
    "a text file saved as UTF-8."
)

# A warning, not a refusal: the review page shows it only while the plan's deadline
# waits for the date the report was received (inspections.review.Summary.warnings).
NO_PUBLICATION_DATE = (
    "No publication date was found in the report (most reports since 2018 print none): give "
    "the date the council received it, from which the plan's deadline is counted."
)
