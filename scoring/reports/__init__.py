"""Report files: the XLSX workbook (`xlsx`) and the PNG chart (`chart`), from ExportData."""
