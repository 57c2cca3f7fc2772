"""`v2m listening-test`: human evaluation beside the metrics, as Video2Music's user study did it.

Every video is composed with every system (systems.py); one page plays the clips blind, in an order drawn
per listener, and downloads the listener's answers (page.py, schema.py); the answers are aggregated per
system with confidence intervals and paired tests (results.py).
"""
