"""General text analysis, shared by the offline analyst, profile parsing and job matching.

normalize.py  folding for search and duplicate detection (cheap: the store imports it)
lexicon.py    the skill lexicon and its matcher
analysis.py   words, stems, sentences, posting sections, seniority, language, similarity
cv.py         master-CV reading (sections, roles with dates, bullets)
posting.py    a posting read once (`analyse`): identity, level, must/nice skills, duties
titles.py     job-title similarity
fit.py        the offline fit of a posting against a CV

Nothing is re-exported here, so importing one module never loads the others.
"""
