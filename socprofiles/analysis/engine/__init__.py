"""The threat picture's analysis: pure pandas, NumPy and PySAL, no Django (DESIGN habit 5).

- indicators: police.uk crime categories mapped to SOC threat indicators (data, labelled
  as proxies).
- stats: counts and rates per 1,000 residents, trends against the previous period and
  the same period a year before, with an exact test so noise is not reported as change.
- hotspots: Getis-Ord Gi* over LSOAs with a false-discovery-rate correction, crossed with
  deprivation, and persistence across months.
- markets: how indicators co-occur across LSOAs and across organised crime groups.
"""
