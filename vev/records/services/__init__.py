"""What the secretariat reads and exports of an event's record: today the audit log; later the
summary records and the report of proposed conclusions."""
