"""The application documents a job seeker sends, beyond the PDF: Word files, the letter's
layout, fitting a CV to its page budget, and what an applicant tracking system reads back."""
