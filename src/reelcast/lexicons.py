"""Word lists for content, spectacle, genre and era signals, written for this project.

Conventions (checked by `reelcast.features`):
- ``word``: matches the lowercased token exactly.
- ``stem*``: matches any token starting with ``stem`` (``kill*`` → kill, killer, killing).
- ``two words``: consecutive tokens within one speech or paragraph; hyphens split tokens, so
  ``cell phone`` also matches ``cell-phone``. Only a phrase's last word may be a stem.

Screenplay words that name camera work or layout (shot, beat, cut, angle) are left out on
purpose: they would count formatting as content. Ambiguous everyday words (date, bar, crack,
tank, spell) are left out for the same reason; the lists favour precision over recall.
"""

from __future__ import annotations

# Content categories: what a ratings board and a producer look at.
CONTENT: dict[str, tuple[str, ...]] = {
    # The f-word family and the strongest sexual swearing: one use usually means PG-13, many R.
    "profanity_severe": (
        "fuck*", "motherfuck*", "mothafuck*", "cunt*", "cocksuck*", "fuckin", "effing",
    ),
    "profanity_mild": (
        "shit*", "bullshit*", "damn", "damned", "dammit", "damnit", "goddam*", "hell", "ass",
        "asses", "asshole*", "jackass*", "dumbass*", "bastard*", "bitch*", "crap", "crappy",
        "piss", "pissed", "pissing", "prick", "pricks", "bloody", "screw you", "son of a bitch",
        "douche*", "wanker*", "bollocks",
    ),
    "violence": (
        "kill*", "murder*", "stab*", "strangl*", "blood*", "bleed*", "gun", "guns", "gunfire",
        "gunshot*", "gunman", "gunmen", "pistol*", "rifle*", "shotgun*", "revolver*", "bullet*",
        "knife", "knives", "machete*", "corpse*", "punch*", "slash*", "wound*", "torture*",
        "brutal*", "slaughter*", "massacre*", "assault*", "attack*", "weapon*", "grenade*",
        "sniper*", "decapitat*", "behead*", "gore", "gory", "gruesome", "shootout*", "shoots",
        "fires at", "opens fire", "beats him", "beats her", "beaten", "dead body", "executes",
        "execution*",
    ),
    "sexual": (
        "sex", "sexual*", "sexy", "naked", "nude", "nudes", "nudity", "topless", "breast",
        "breasts", "orgasm*", "porn*", "erotic*", "intercourse", "condom*", "seduc*", "lingerie",
        "make love", "making love", "made love", "stripper*", "prostitut*", "hooker*", "whore*",
        "slut*", "horny", "erection*", "undress*", "in bed together", "one night stand",
    ),
    "drugs": (
        "cocaine", "heroin", "marijuana", "meth", "methamphetamine", "overdos*",
        "junkie*", "drug", "drugs", "drugged", "narcotic*", "syringe*", "snort*", "stoned",
        "opium", "hashish", "amphetamine*", "crackhead*", "dope", "doped", "pills", "lsd",
        "drug dealer*", "line of coke", "shoots up", "weed", "rolls a joint", "smokes a joint",
    ),
    "alcohol": (
        "beer*", "wine", "wines", "whiskey*", "whisky", "vodka", "bourbon", "scotch", "gin",
        "tequila", "rum", "champagne", "booze*", "drunk*", "liquor*", "cocktail*", "martini*",
        "bartender*", "hangover*", "hungover", "tipsy", "alcohol*", "saloon*", "brandy", "pub",
        "shot glass", "swig*", "sips his drink", "sips her drink",
    ),
}

# Big-budget vocabulary: things that cost money to put on screen.
SPECTACLE: tuple[str, ...] = (
    "explosion*", "explod*", "blast*", "detonat*", "fireball*", "inferno", "helicopter*",
    "chopper*", "spaceship*", "spacecraft", "starship*", "crash*", "army", "armies", "soldiers",
    "troops", "tanks", "missile*", "rocket*", "jet", "jets", "fighter jet*", "debris",
    "collaps*", "stunt*", "battlefield*", "warship*", "aircraft", "fleet*", "laser*",
    "hologram*", "shockwave*", "avalanche*", "tsunami*", "tornado*", "earthquake*", "eruption*",
    "meteor*", "asteroid*", "mushroom cloud", "car chase", "chase", "chases", "skyscraper*",
    "stampede*", "crowd of thousands", "massive", "enormous", "gigantic", "monster*",
    "creature*", "spaceport*", "submarine*", "aircraft carrier", "battleship*", "convoy*",
    "motorcycle*", "plane crash", "wreckage", "flames", "shatters", "cgi",
)

# Genre signals: vocabulary that is typical of a genre's scripts (not proof of the genre).
GENRE: dict[str, tuple[str, ...]] = {
    "comedy": (
        "laugh*", "joke*", "funny", "hilarious", "giggl*", "chuckl*", "silly", "ridiculous",
        "awkward*", "embarrass*", "grin*", "smirk*", "prank*", "goofy", "wacky", "oops", "dork*",
        "idiot*", "weird*", "dude", "crazy", "pratfall*", "klutz*", "doofus", "nerd*",
    ),
    "horror": (
        "scream*", "shriek*", "corpse*", "ghost*", "demon*", "haunt*", "creature*", "terrif*",
        "horror*", "nightmare*", "evil", "darkness", "shadow*", "creak*", "possessed", "zombie*",
        "vampire*", "ritual*", "dread", "gasp*", "basement", "coffin*", "skull*", "decay*",
        "rotting", "mutilat*", "severed", "satan*", "devil*", "exorcis*", "blood*", "slasher*",
    ),
    "sci_fi": (
        "spaceship*", "starship*", "planet*", "galax*", "alien*", "robot*", "android*", "laser*",
        "hologram*", "orbit*", "asteroid*", "cyborg*", "quantum", "light year*", "warp",
        "hyperspace", "teleport*", "clone*", "mutant*", "genetic*", "scientist*", "laboratory",
        "spacecraft", "astronaut*", "martian*", "lunar", "reactor*", "radiation", "dimension*",
        "simulation*", "synthetic", "replicant*", "droid*", "cryo*", "space station",
    ),
    "romance": (
        "love", "loves", "loved", "lover*", "kiss*", "romantic*", "romance*", "darling",
        "sweetheart", "wedding*", "marry", "married", "marriage", "bride*", "boyfriend*",
        "girlfriend*", "dating", "flirt*", "embrac*", "passion*", "beloved", "fianc*",
        "valentine*", "caress*", "honeymoon*", "anniversary", "in love", "first date",
    ),
    "crime": (
        "cop", "cops", "police*", "detective*", "murder*", "suspect*", "robber*", "heist*",
        "gang", "gangs", "gangster*", "mob", "mobster*", "mafia", "criminal*", "crime*",
        "arrest*", "prison*", "jail*", "warrant*", "evidence", "fbi", "precinct*", "homicide*",
        "lawyer*", "attorney*", "interrogat*", "handcuff*", "smuggl*", "launder*", "ransom*",
        "kidnap*", "hostage*", "thief", "thieves", "steal*", "stole", "stolen", "badge*",
        "informant*", "snitch*", "bail",
    ),
    "war": (
        "soldier*", "army", "armies", "platoon*", "battalion*", "regiment*", "sergeant*",
        "lieutenant*", "colonel*", "enemy", "enemies", "battle*", "trench*", "bomb*", "artillery",
        "infantry", "grenade*", "troops", "war", "wars", "wartime", "marines", "navy", "naval",
        "corporal*", "casualt*", "nazi*", "bunker*", "foxhole*", "ammo", "ammunition",
        "front line*", "salute*", "squadron*", "invasion*", "machine gun*", "airstrike*",
    ),
    "western": (
        "horse*", "saloon*", "sheriff*", "cowboy*", "ranch*", "cattle", "gunslinger*",
        "revolver*", "colt", "winchester", "stagecoach*", "outlaw*", "posse*", "marshal*",
        "frontier*", "prairie*", "canyon*", "saddle*", "spurs", "lasso*", "corral*", "mesa",
        "wagon*", "homestead*", "bandit*", "poncho", "stetson*", "gallop*", "dusty", "varmint*",
    ),
    "fantasy": (
        "magic*", "wizard*", "witch*", "sorcer*", "dragon*", "kingdom*", "castle*", "prince",
        "princes", "princess*", "knight*", "sword*", "elf", "elves", "elven", "dwarf*", "troll*",
        "goblin*", "enchant*", "potion*", "prophec*", "realm*", "quest*", "throne*", "fairy",
        "fairies", "wand", "wands", "mystical", "unicorn*", "ogre*", "spells", "amulet*",
    ),
    "family": (
        "mom", "mommy", "dad", "daddy", "grandma*", "grandpa*", "kid", "kids", "puppy", "puppies",
        "toy", "toys", "birthday*", "school", "bedtime", "pet", "pets", "cartoon*", "bunny",
        "bunnies", "teddy", "cookie*", "ice cream", "candy", "homework", "playground*",
        "adventure*", "treehouse", "sleepover*", "lunchbox*",
    ),
}

# Era hints: technology that dates a story.
ERA: dict[str, tuple[str, ...]] = {
    "modern_tech": (
        "cell phone*", "cellphone*", "smartphone*", "iphone*", "mobile phone*",
        "computer*", "laptop*", "internet", "email*", "e mail*", "texting", "texts",
        "text message*", "website*", "online", "google*", "facebook", "webcam*", "wifi",
        "password*", "hacker*", "cyber*", "pager*", "gps", "dvd*", "selfie*", "tablet*",
    ),
    "period_tech": (
        "telegram*", "typewriter*", "telegraph*", "switchboard*", "phonograph*", "gramophone*",
        "horse drawn", "carriage*", "gaslight*", "gas lamp*", "steamship*", "rotary phone*",
        "icebox*", "zeppelin*", "buggy", "oil lamp*", "quill*", "candlelight*",
    ),
}

# Pronouns for the gender-of-action proxy (action lines only).
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
