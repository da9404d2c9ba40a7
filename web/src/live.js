// Live: the page asks GET /api/changes?after=CURSOR every few seconds (a few dozen bytes when
// nothing changed) and, when events changed, reads its view again without a reload. The interval
// is the server's (its answer's ``poll``) unless the page's URL says ``?poll=SECONDS`` (0: off).

export class Poller {
  /** ``fetchChanges(cursor, signal)``: the API call; ``onChange(eventIds, replaced)``: read again. */
  constructor({ fetchChanges, onChange, seconds = null }) {
    this.fetchChanges = fetchChanges;
    this.onChange = onChange;
    this.seconds = seconds; // null: the server's
    this.cursor = null;
    this.timer = null;
  }

  /** Start from ``cursor`` (what the page's view was read at). */
  start(cursor) {
    this.cursor = cursor;
    if (this.seconds === 0) return;
    this.poll();
  }

  schedule(seconds) {
    clearTimeout(this.timer);
    if (seconds > 0) this.timer = setTimeout(() => this.poll(), seconds * 1000);
  }

  async poll() {
    let seconds = this.seconds ?? 10;
    try {
      const answer = await this.fetchChanges(this.cursor);
      if (this.seconds === null) seconds = answer.poll;
      const replaced = answer.cursor < this.cursor; // another ledger: everything is read again
      const changed = answer.events;
      this.cursor = answer.cursor;
      if (changed.length || replaced) await this.onChange(changed, replaced);
      if (answer.more) seconds = 0.01; // the rest of the log at once
    } catch (err) {
      console.error(err); // the server may be restarting: try again at the next interval
    }
    this.schedule(seconds);
  }
}

/** ``?poll=SECONDS`` of the page's URL, or null when it does not say (or says nonsense). */
export function pollFromUrl(search = window.location.search) {
  const value = new URLSearchParams(search).get("poll");
  if (value === null || value === "") return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}
