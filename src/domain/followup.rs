//! Follow-ups due: visits marked for a follow-up, sorted into overdue and due this week.
