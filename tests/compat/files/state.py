# The python-state workload: a job that keeps its state in a SQLite database in the image's own
# directory (/var/lib/app), as small services without a volume do.
import sqlite3

db = sqlite3.connect("/var/lib/app/state.db")
db.execute("CREATE TABLE IF NOT EXISTS runs (n INTEGER)")
db.execute("INSERT INTO runs VALUES (1)")
db.commit()
print("state ok", db.execute("SELECT count(*) FROM runs").fetchone()[0])
