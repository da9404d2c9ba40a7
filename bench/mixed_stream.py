"""A mixed news stream for the throughput and gate benches: every corpus's articles plus as many
unrelated news-like texts, shuffled deterministically.

    python bench/mixed_stream.py [--corpus-root ../shared/corpus] [--unrelated N] [--seed 0]

A live stream is mostly news of no violence at all. No package reachable here bundles real
non-violent news text (the registries' text corpora are fetched from the network at run time),
so the unrelated texts are generated from the templates below, written for this project:
sports results, markets and companies, diplomacy without violence, weather, technology, culture,
science, health, travel and local life. Some use words that look risky out of context ("a shot
from the edge of the box", "a labour strike", "the attack", "struck a deal", "killed it", "shares
were hit"), as real news does, so the gate's skip rate on them is not flattered.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warledger.records import Article

ROOT = Path(__file__).resolve().parents[1]
CORPUS_ROOT = ROOT.parent / "shared" / "corpus"
OUTLET = "generated (bench/mixed_stream.py)"

FILL: dict[str, list[str]] = {
    "team": [
        "Riverton United",
        "Northfield Rovers",
        "Ashby Athletic",
        "Port Merrow",
        "Castleford Town",
        "Elmstead City",
        "the Harbour Hawks",
        "the Valley Rangers",
        "Kingsbridge Wanderers",
        "Saltmarsh Albion",
    ],
    "player": [
        "Tomas Wierzbicki",
        "Aline Moreau",
        "Kofi Mensah",
        "Jonas Lindqvist",
        "Marta Esposito",
        "Daniel Okafor",
        "Priya Raman",
        "Luca Bianchi",
        "Hannah Whitfield",
        "Mateo Ruiz",
        "Sven Halvorsen",
        "Grace Adeyemi",
    ],
    "coach": ["Pieter van Loon", "Carla Mendes", "Rob Ellison", "Yuki Tanaka", "Owen Brady"],
    "company": [
        "Norvell Systems",
        "Brightwater Foods",
        "Calder Energy",
        "Meridian Logistics",
        "Qadira Pharma",
        "Halden Motors",
        "Lumen Retail",
        "Stratus Semiconductors",
        "Orchard Bank",
        "Pellham Airlines",
    ],
    "city": [
        "Lisbon",
        "Toronto",
        "Osaka",
        "Melbourne",
        "Nairobi",
        "Bergen",
        "Valencia",
        "Denver",
        "Leeds",
        "Tallinn",
        "Porto",
        "Kraków",
        "Auckland",
        "Seville",
        "Edinburgh",
    ],
    "country": [
        "Portugal",
        "Canada",
        "Japan",
        "Kenya",
        "Norway",
        "Chile",
        "Estonia",
        "New Zealand",
        "Ireland",
        "Vietnam",
        "Morocco",
        "Uruguay",
    ],
    "minister": [
        "Foreign Minister Ana Duarte",
        "Trade Minister Kenji Mori",
        "Finance Minister Lars Aune",
        "Environment Minister Wanjiru Kamau",
        "Prime Minister Helen Ashford",
    ],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "month": ["January", "March", "April", "June", "September", "October", "November"],
    "artist": [
        "the Paper Lanterns",
        "Ines Caldeira",
        "Marcus Hale",
        "the Coastline Quartet",
        "Noor Siddiqui",
        "Felix Arendt",
    ],
    "product": [
        "a folding phone",
        "a home battery",
        "an e-reader",
        "a smart thermostat",
        "a pair of wireless earbuds",
        "a budget laptop",
    ],
    "dish": ["slow-cooked lamb", "a miso broth", "wild mushroom risotto", "grilled sardines", "a lemon tart"],
    "n": [str(i) for i in range(2, 40)],
    "pct": ["0.4", "1.2", "2.7", "3.1", "4.8", "6.5", "0.9", "1.7"],
    "score": ["2-1", "3-0", "1-1", "4-2", "0-0", "2-2", "1-0", "3-2"],
    "temp": [str(t) for t in range(-4, 38, 3)],
}

TOPICS: dict[str, dict[str, list[str]]] = {
    "football": {
        "head": [
            "{team} beat {team} {score} to stay in the title race",
            "Late goal gives {team} a {score} draw",
            "{player} scores twice as {team} ease past {team}",
        ],
        "body": [
            "{player} opened the scoring after {n} minutes with a low shot from the edge of the box.",
            "The visitors pressed high and their attack looked sharp in the first half.",
            "A curling strike from {player} hit the post shortly before the break.",
            "{coach} said after the match that his side had killed it in the second half.",
            "The home side's shots on target told the story of a one-sided afternoon.",
            "{player} limped off with a hamstring injury and will be assessed this week.",
            "The goalkeeper made a fine save to deny a header from a corner.",
            "The crowd of {n},000 stayed until the final whistle despite the rain.",
            "{team} are now {n} points clear with {n} games left to play.",
            "The referee waved away two penalty appeals in a tense final quarter of an hour.",
            "{coach} praised the defence, which has conceded only {n} goals all season.",
            "The striker fired over the bar from close range in stoppage time.",
        ],
    },
    "court_sports": {
        "head": ["{player} reaches the final in {city}", "{team} win overtime thriller", "Comeback win for {player}"],
        "body": [
            "{player} served {n} aces and broke serve twice in the deciding set.",
            "The forehand that won the match was struck cleanly down the line.",
            "{team} shot 48 percent from the field and hit {n} three-pointers.",
            "A buzzer-beater sent the game to overtime in front of a sold-out arena.",
            "{player} said the crowd in {city} gave her a lift when she was trailing.",
            "The top seed needed treatment on her wrist but played on.",
            "{coach} called it the team's best defensive performance of the year.",
            "The rookie guard finished with {n} points and {n} rebounds.",
            "Rain delayed play for two hours before the covers came off.",
            "She will face the defending champion in the final on {weekday}.",
        ],
    },
    "cricket_motor": {
        "head": [
            "{player} hits a century as rain threatens",
            "Pole position for {player} in {city}",
            "Record lap puts {player} on pole",
        ],
        "body": [
            "{player} hit {n} boundaries in an unbeaten century on the opening day.",
            "The seamers struck early, taking two wickets in the first hour.",
            "The pit stop went wrong and cost the team almost four seconds.",
            "{player} set the fastest lap on soft tyres late in qualifying.",
            "Light drizzle made the track slippery and several drivers ran wide.",
            "The captain declared with a lead of {n} runs before tea.",
            "Engineers changed the gearbox overnight after a sensor fault.",
            "The championship leader finished third and extended his lead to {n} points.",
            "Spectators in {city} filled the grandstands for the first time since the circuit was resurfaced.",
        ],
    },
    "markets": {
        "head": [
            "Shares in {company} jump after results",
            "Markets edge higher as inflation cools",
            "{company} to cut costs after weak quarter",
        ],
        "body": [
            "Shares in {company} rose {pct} percent after quarterly revenue beat forecasts.",
            "The benchmark index closed {pct} percent higher, led by technology and retail stocks.",
            "Bond yields fell as traders bet the central bank would hold rates in {month}.",
            "Airline stocks were hit by higher fuel costs and weaker bookings.",
            "{company} said it would cut {n}0 jobs as part of a cost review.",
            "Analysts said the retailer had struck a deal with suppliers to protect margins.",
            "The price war among supermarkets has squeezed profits across the sector.",
            "Oil prices slipped for a third day on signs of rising supply.",
            "The currency crashed to a two-year low before recovering in afternoon trading.",
            "Investors will watch the jobs report due on {weekday} for clues on the economy.",
            "{company} raised its full-year guidance and announced a share buyback.",
            "The company's chief executive said demand in {country} remained strong.",
        ],
    },
    "labour": {
        "head": [
            "Rail workers in {city} announce a strike",
            "Teachers vote to end strike after pay offer",
            "Dock workers walk out over pay",
        ],
        "body": [
            "Union members voted by a large majority to strike for {n} days from {weekday}.",
            "The strike is expected to disrupt commuter services across the region.",
            "Managers said talks had broken down over working hours and pensions.",
            "Picket lines formed outside the depots early in the morning.",
            "The union said its members had been hit hardest by rising living costs.",
            "The employer offered a {pct} percent rise, which the union called an insult.",
            "Passengers were advised to check timetables before travelling.",
            "A previous walkout in {month} ended after two weeks of negotiations.",
            "Both sides agreed to return to mediation next week.",
        ],
    },
    "diplomacy": {
        "head": [
            "{country} and {country} sign trade agreement",
            "{minister} visits {city} for climate talks",
            "Summit in {city} ends with joint statement",
        ],
        "body": [
            "{minister} met her counterpart in {city} to discuss tariffs and fishing rights.",
            "The two governments signed an agreement to cut duties on farm goods over five years.",
            "Officials described the talks as frank and constructive.",
            "The delegations agreed to set up a working group on student visas.",
            "Opposition leaders attacked the deal as too generous to foreign investors.",
            "The summit closed with a joint statement on ocean protection.",
            "Ambassadors from {n} countries attended the signing ceremony.",
            "{minister} said the partnership would create jobs in ports and logistics.",
            "Parliament is expected to ratify the treaty before the end of the year.",
            "Critics said the negotiations had been held behind closed doors.",
        ],
    },
    "politics": {
        "head": [
            "Parliament passes housing bill",
            "Voters in {city} go to the polls",
            "Coalition talks resume in {country}",
        ],
        "body": [
            "The housing bill passed by {n} votes after a long debate.",
            "Turnout in the local elections was {n} percent, slightly higher than last time.",
            "The opposition launched a fierce attack on the government's spending plans.",
            "Ministers were accused of trying to kill the bill in committee.",
            "The mayor of {city} promised more cycle lanes and cheaper buses.",
            "Polls suggest the two largest parties are neck and neck.",
            "The new coalition will have a majority of {n} seats.",
            "A court ruled that the referendum question was fair.",
        ],
    },
    "weather": {
        "head": ["Heatwave to continue across {country}", "Heavy rain expected in {city}", "Snow brings travel delays"],
        "body": [
            "Temperatures reached {temp} degrees in {city} on {weekday}.",
            "Forecasters expect showers to clear by the weekend.",
            "Strong winds brought down trees and power lines in coastal areas.",
            "The weather service issued a yellow warning for ice on untreated roads.",
            "Farmers said the dry spell had damaged the wheat harvest.",
            "Flights were delayed at the airport while runways were cleared of snow.",
            "Residents were urged to drink plenty of water and avoid the midday sun.",
            "Rainfall in {month} was {n} percent above the long-term average.",
            "A cold front will bring cooler air from the north on {weekday}.",
        ],
    },
    "technology": {
        "head": [
            "{company} unveils {product}",
            "Chipmaker {company} opens plant in {city}",
            "Regulators question app store rules",
        ],
        "body": [
            "{company} unveiled {product} at an event in {city} on {weekday}.",
            "The device will go on sale in {month} at a lower price than its rival.",
            "Engineers said the new chip uses {pct} times less power than the last one.",
            "Security researchers found a flaw that could let attackers read stored passwords.",
            "The company said no customer data had been accessed and a patch was released.",
            "Delivery drones will be tested in two suburbs of {city} this summer.",
            "The start-up raised {n} million dollars from investors to build its software.",
            "Reviewers praised the battery life but criticised the camera.",
            "The regulator said it would look at how app stores set their fees.",
            "Sales of electric cars rose {n} percent in the first half of the year.",
        ],
    },
    "culture": {
        "head": [
            "{artist} return with a new album",
            "Film festival in {city} opens",
            "Gallery reopens after renovation",
        ],
        "body": [
            "{artist} played a two-hour set to a packed hall in {city}.",
            "Critics said the band killed it with a new song in the encore.",
            "The film, shot on location in {country}, won the audience award.",
            "The gallery reopened after a {n}-month renovation of its glass roof.",
            "The novel tells the story of three sisters who run a bakery.",
            "Tickets for the festival sold out within an hour.",
            "The director said she wanted the play to feel like a conversation.",
            "The orchestra will tour {n} cities next spring.",
            "A retrospective of the painter's early work opens in {month}.",
            "The comedy was a box office hit in its first weekend.",
        ],
    },
    "science_health": {
        "head": ["Study links walking to better sleep", "Telescope spots distant galaxy", "New vaccine trial begins"],
        "body": [
            "Researchers followed {n},000 adults for six years.",
            "People who walked daily reported falling asleep faster.",
            "The telescope captured light that left the galaxy billions of years ago.",
            "The trial will enrol volunteers in {city} and {city}.",
            "Scientists said the results needed to be confirmed in larger studies.",
            "The hospital opened a new wing for children's outpatient care.",
            "Doctors recommend a balanced diet and regular exercise.",
            "The team published its findings in a peer-reviewed journal.",
            "The mission's rocket launch was postponed because of high winds.",
        ],
    },
    "local_life": {
        "head": [
            "New bridge opens to cyclists in {city}",
            "Restaurant review: {dish} done right",
            "Library extends opening hours",
        ],
        "body": [
            "The new footbridge in {city} opened to cyclists and pedestrians on {weekday}.",
            "The council said the project came in under budget.",
            "The chef's {dish} was the highlight of a generous set menu.",
            "Volunteers planted {n}0 trees along the river path.",
            "The library will now stay open until eight on weeknights.",
            "A farmers' market will run every {weekday} until October.",
            "Local schools raised money for new playground equipment.",
            "The museum's free entry scheme attracted {n},000 visitors.",
            "Residents welcomed plans for a new bus route to the hospital.",
        ],
    },
}


def _fill(template: str, rng: random.Random) -> str:
    out = template
    while "{" in out:
        start = out.index("{")
        end = out.index("}", start)
        key = out[start + 1 : end]
        out = out[:start] + rng.choice(FILL[key]) + out[end + 1 :]
    return out


def unrelated_texts(n: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """``n`` generated news-like texts of no violence: (topic, headline, text)."""
    rng = random.Random(seed)
    topics = sorted(TOPICS)
    out = []
    for i in range(n):
        topic = topics[i % len(topics)]
        parts = TOPICS[topic]
        head = _fill(rng.choice(parts["head"]), rng)
        body = rng.sample(parts["body"], k=min(len(parts["body"]), rng.randint(5, 9)))
        paragraphs = [" ".join(_fill(s, rng) for s in body[j : j + 2]) for j in range(0, len(body), 2)]
        out.append((topic, head, head + "\n\n" + "\n\n".join(paragraphs)))
    return out


def corpus_articles(corpus_root: Path = CORPUS_ROOT) -> dict[str, list[Article]]:
    """Every corpus's articles by corpus name (read as ingest reads them)."""
    from warledger.ingest import read_paths

    return {
        folder.name: read_paths([folder / "articles.jsonl"]).articles
        for folder in sorted(corpus_root.iterdir())
        if (folder / "articles.jsonl").exists()
    }


def unrelated_articles(n: int, seed: int = 0) -> list[Article]:
    """The generated texts as articles (id ``unrelated-<topic>-<i>``, English, dated 2022-2025)."""
    from warledger.records import Article

    rng = random.Random(seed + 1)
    start = date(2022, 1, 1)
    return [
        Article(
            id=f"unrelated-{topic}-{i:05d}",
            text=text,
            title=head,
            published=start + timedelta(days=rng.randrange(4 * 365)),
            outlet=OUTLET,
            language="en",
            source="bench/mixed_stream.py",
        )
        for i, (topic, head, text) in enumerate(unrelated_texts(n, seed))
    ]


def mixed_stream(n_unrelated: int | None = None, seed: int = 0, corpus_root: Path = CORPUS_ROOT) -> list[Article]:
    """Every corpus's articles plus ``n_unrelated`` generated unrelated ones (as many as the corpora
    hold when None), shuffled by ``seed``: the same arguments give the same stream."""
    articles = [a for arts in corpus_articles(corpus_root).values() for a in arts]
    articles += unrelated_articles(len(articles) if n_unrelated is None else n_unrelated, seed)
    random.Random(seed).shuffle(articles)
    return articles


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus-root", type=Path, default=CORPUS_ROOT)
    ap.add_argument("--unrelated", type=int, default=None, help="unrelated texts (default: as many as corpus articles)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    if not args.corpus_root.is_dir():
        print(f"{args.corpus_root}: corpus folder not found", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    stream = mixed_stream(args.unrelated, args.seed, args.corpus_root)
    counts = Counter(a.id.split("-")[1] if a.id.startswith("unrelated-") else "corpus" for a in stream)
    per_corpus = {name: len(arts) for name, arts in corpus_articles(args.corpus_root).items()}
    for name, k in per_corpus.items():
        print(f"corpus {name}: {k}")
    for topic in sorted(TOPICS):
        print(f"unrelated {topic}: {counts.get(topic, 0)}")
    unrelated = sum(v for k, v in counts.items() if k != "corpus")
    chars = sum(len(a.text) for a in stream)
    print(
        f"stream: {len(stream)} articles ({counts['corpus']} from corpora, {unrelated} unrelated), {chars:,} characters"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
