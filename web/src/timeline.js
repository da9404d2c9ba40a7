// The timeline: events per day above, killed per day below, one brush across both. Brushing a
// date range calls ``onRange([from, to])`` with ISO days (inclusive), or ``null`` when cleared.
import { select } from "d3-selection";
import { scaleUtc, scaleLinear } from "d3-scale";
import { axisBottom, axisLeft } from "d3-axis";
import { brushX } from "d3-brush";
import { max } from "d3-array";
import { utcDay } from "d3-time";
import { utcFormat, utcParse } from "d3-time-format";
import { killedSummary } from "./dom.js";

const DAY = utcFormat("%Y-%m-%d");
const parseDay = utcParse("%Y-%m-%d");
const MARGIN = { top: 8, right: 16, bottom: 22, left: 44 };
const ROW = 52; // height of each chart
const GAP = 10;

export function dayOf(date) {
  return DAY(date);
}

export class Timeline {
  constructor(el, { onRange }) {
    this.el = el;
    this.onRange = onRange;
    this.range = null;
    this.days = [];
    this.extent = null; // [first day, day after last] of the whole ledger, fixed once loaded
    this.resizeObserver = new ResizeObserver(() => this.render());
    this.resizeObserver.observe(el);
  }

  /** The days covered by the whole ledger (so the axis does not jump as filters change). */
  setExtent(firstDay, lastDay) {
    if (!firstDay || !lastDay) {
      this.extent = null;
      return;
    }
    this.extent = [utcDay.offset(parseDay(firstDay), -1), utcDay.offset(parseDay(lastDay), 2)];
  }

  /** The days to draw, as the API counts them: [{day, events, killed (null: all unknown), unknown}]. */
  setDays(days) {
    this.days = days;
    this.render();
  }

  render() {
    const el = this.el;
    const width = Math.max(320, el.clientWidth || 800);
    const height = MARGIN.top + ROW + GAP + ROW + MARGIN.bottom;
    select(el).selectAll("svg").remove();
    if (!this.extent) return;
    const innerW = width - MARGIN.left - MARGIN.right;
    const x = scaleUtc().domain(this.extent).range([0, innerW]);
    this.x = x;
    const bins = this.days;
    const yEvents = scaleLinear().domain([0, max(bins, (b) => b.events) || 1]).nice().range([ROW, 0]);
    const yKilled = scaleLinear().domain([0, max(bins, (b) => b.killed) || 1]).nice().range([ROW, 0]);
    const dayWidth = Math.max(2, x(utcDay.offset(this.extent[0], 1)) - x(this.extent[0]) - 1);

    const svg = select(el)
      .append("svg")
      .attr("id", "timeline-svg")
      .attr("width", width)
      .attr("height", height)
      .attr("role", "img")
      .attr("aria-label", "Events and killed per day")
      // how to turn a day into a pixel, for scripts and tests: x = x0 + (day - from) / (to - from) * (x1 - x0)
      .attr("data-from", DAY(this.extent[0]))
      .attr("data-to", DAY(this.extent[1]))
      .attr("data-x0", MARGIN.left)
      .attr("data-x1", MARGIN.left + innerW);
    const g = svg.append("g").attr("transform", `translate(${MARGIN.left},${MARGIN.top})`);

    const rowEvents = g.append("g").attr("class", "row row-events");
    const rowKilled = g.append("g").attr("class", "row row-killed").attr("transform", `translate(0,${ROW + GAP})`);

    rowEvents.append("g").attr("class", "axis").call(axisLeft(yEvents).ticks(3).tickSizeOuter(0));
    rowKilled.append("g").attr("class", "axis").call(axisLeft(yKilled).ticks(3).tickSizeOuter(0));
    rowEvents.append("text").attr("class", "row-label").attr("x", 4).attr("y", 10).text("events");
    rowKilled.append("text").attr("class", "row-label").attr("x", 4).attr("y", 10).text("killed");

    const barX = (b) => x(parseDay(b.day));
    rowEvents
      .append("g")
      .attr("class", "bars")
      .selectAll("rect")
      .data(bins)
      .join("rect")
      .attr("class", "bar bar-events")
      .attr("data-day", (b) => b.day)
      .attr("data-count", (b) => b.events)
      .attr("x", barX)
      .attr("width", dayWidth)
      .attr("y", (b) => yEvents(b.events))
      .attr("height", (b) => ROW - yEvents(b.events))
      .append("title")
      .text((b) => `${b.day}: ${b.events} event(s), ${killedSummary(b.killed, b.unknown, b.events)}`);
    rowKilled
      .append("g")
      .attr("class", "bars")
      .selectAll("rect")
      .data(bins.filter((b) => b.killed > 0))
      .join("rect")
      .attr("class", "bar bar-killed")
      .attr("data-day", (b) => b.day)
      .attr("data-killed", (b) => b.killed)
      .attr("x", barX)
      .attr("width", dayWidth)
      .attr("y", (b) => yKilled(b.killed))
      .attr("height", (b) => ROW - yKilled(b.killed))
      .append("title")
      .text((b) => `${b.day}: ${killedSummary(b.killed, b.unknown, b.events)}`);

    g.append("g")
      .attr("class", "axis axis-x")
      .attr("transform", `translate(0,${ROW + GAP + ROW})`)
      .call(axisBottom(x).ticks(Math.max(2, Math.floor(innerW / 90))).tickSizeOuter(0));

    const brush = brushX()
      .extent([
        [0, 0],
        [innerW, ROW + GAP + ROW],
      ])
      .on("end", (event) => {
        if (!event.sourceEvent) return; // our own move below
        if (!event.selection) {
          this.setRange(null);
          return;
        }
        const [a, b] = event.selection.map(x.invert);
        const from = utcDay.floor(a);
        const to = utcDay.offset(utcDay.ceil(b), -1);
        this.setRange(to < from ? [DAY(from), DAY(from)] : [DAY(from), DAY(to)]);
      });
    this.brush = brush;
    this.brushG = g.append("g").attr("class", "brush").call(brush);
    if (this.range) {
      const a = x(parseDay(this.range[0]));
      const b = x(utcDay.offset(parseDay(this.range[1]), 1));
      this.brushG.call(brush.move, [a, b]);
    }
  }

  /** Set (or clear, with null) the date range, as a brush would. */
  setRange(range) {
    this.range = range;
    this.onRange(range);
  }

  /** Clear the date range; ``notify`` false: without telling ``onRange`` (the caller reads the view itself). */
  clear(notify = true) {
    this.range = null;
    if (this.brushG) this.brushG.call(this.brush.move, null);
    if (notify) this.onRange(null);
  }
}
