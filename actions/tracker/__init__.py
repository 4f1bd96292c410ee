"""The Excel tracker exchange: the plan downloaded as a workbook (or CSV), and a council's
tracker uploaded back, previewed and applied through the usual services."""
