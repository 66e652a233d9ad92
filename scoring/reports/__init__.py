"""Report files: the XLSX workbook (`xlsx`) and the PNG chart (`chart`) of an `export.Export`."""
