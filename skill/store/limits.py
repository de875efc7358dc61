"""How long and how much the store remembers (shared by the read and write halves of a turn)."""

REPLAY_WINDOW_SECONDS = 300          # Alexa's 150 s timestamp tolerance, either side of our clock
USER_TTL_SECONDS = 400 * 24 * 3600   # a runner unseen for 400 days is forgotten
RECENT_REPLIES = 8                   # the newest applied requests keep their reply for replays
RECENT_IDS = 256                     # most request ids in one runner's replay window (no voice is that fast)
MAX_ATTEMPTS = 6                     # compare-and-set attempts before giving up with StoreBusy
MAX_UNCONFIRMED = 4                  # unanswered requests a turn asks about
DOUBT_TTL_SECONDS = 600              # an in-doubt marker outlives its write's deadline (seconds) by far
DOUBT_RETRY_SECONDS = 30.0           # how long a marker's write is retried while Redis is stalled
MAX_DOUBTS = 16                      # in-doubt markers kept per runner (a write clears them all)
