"""The XML Auditfile Financieel 3.2 (XAF): a streaming writer and a streaming validator."""
