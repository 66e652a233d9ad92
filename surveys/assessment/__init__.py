"""Assessment: per-agent figures aggregated in SQL, reports with every input behind them, exports
and weekly summaries.
"""
