/*
 * demogen.c - see demogen.h.
 *
 * Everything is table-driven: cultures (name pools), cities (time zone,
 * languages, culture), departments (weight, title ladder, skills).  The
 * generator draws attributes per person, then builds the hierarchy per
 * department level by level (a person's manager is drawn from the nearest
 * more senior level that has anyone), and finally orders the array by
 * seniority, which puts every manager before their reports.  All of it is
 * linear in the number of people, so 100,000 people take a few tens of
 * milliseconds.
 */
#include "domain/demogen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/validate.h"

/* ---- PRNG ------------------------------------------------------------- */

void demogen_rng_seed(mt_rng *r, uint64_t seed)
{
	r->state = seed ^ 0x6a09e667f3bcc909ull;
}

uint64_t demogen_rng_next(mt_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint32_t demogen_rng_below(mt_rng *r, uint32_t n)
{
	return (uint32_t)(((demogen_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

double demogen_rng_unit(mt_rng *r)
{
	return (double)(demogen_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static bool chance(mt_rng *r, double p)
{
	return demogen_rng_unit(r) < p;
}

/* Index drawn with the given integer weights. */
static size_t weighted(mt_rng *r, const unsigned *w, size_t n)
{
	unsigned total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	unsigned x = demogen_rng_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))
#define PICK(r, a) ((a)[demogen_rng_below((r), (uint32_t)COUNT(a))])

/* ---- tables ----------------------------------------------------------- */

/* First names: 'f' or 'm' then the name. */
typedef struct culture {
	const char *const *first;
	size_t n_first;
	const char *const *last;
	size_t n_last;
} culture;

#define NAMES(f, l) {f, COUNT(f), l, COUNT(l)}

static const char *const anglo_first[] = {
	"fOlivia", "fEmily", "fSophie", "fGrace", "fChloe", "fHannah", "fSarah", "fJessica",
	"fAmelia", "fZoë", "mJames", "mOliver", "mJack", "mThomas", "mDaniel", "mMichael",
	"mWilliam", "mRyan", "mLiam", "mSamuel", "mNoah", "fMaya"};
static const char *const anglo_last[] = {"Smith", "Johnson", "Williams", "Brown", "Taylor",
					 "Wilson", "Davies", "Evans", "Clarke", "O'Brien",
					 "Murphy", "Walker", "Robinson", "Wright", "Thompson",
					 "Hughes", "Green", "Hall"};
static const char *const german_first[] = {"fAnna", "fLena", "fMarie", "fJulia", "fSophie",
					   "fKatharina", "mLukas", "mJonas", "mFelix", "mJürgen",
					   "mMatthias", "mStefan", "mTobias", "fJana"};
static const char *const german_last[] = {"Müller", "Schmidt", "Schneider", "Fischer",
					  "Weber", "Meyer", "Wagner", "Becker", "Schäfer",
					  "Koch", "Hoffmann", "Größer", "Krüger", "Wolf"};
static const char *const french_first[] = {"fCamille", "fLéa", "fManon", "fChloé", "fInès",
					   "fMathilde", "mLouis", "mHugo", "mFrançois", "mThéo",
					   "mJérôme", "mNicolas", "mAntoine", "fAurélie"};
static const char *const french_last[] = {"Martin", "Bernard", "Dubois", "Thomas", "Robert",
					  "Richard", "Petit", "Durand", "Lefèvre", "Moreau",
					  "Girard", "Lemaître", "Fontaine", "Rousseau"};
static const char *const spanish_first[] = {"fLucía", "fMaría", "fSofía", "fCarmen", "fInés",
					    "fPaula", "mJosé", "mAlejandro", "mJavier", "mDiego",
					    "mPablo", "mÁlvaro", "mSergio", "fValentina"};
static const char *const spanish_last[] = {"García", "Fernández", "González", "Rodríguez",
					   "López", "Martínez", "Sánchez", "Pérez", "Gómez",
					   "Muñoz", "Jiménez", "Ruiz", "Hernández", "Díaz"};
static const char *const portuguese_first[] = {"fAna", "fBeatriz", "fMariana", "fJoana",
					       "fLarissa", "fConceição", "mJoão", "mPedro",
					       "mTiago", "mGonçalo", "mRafael", "mLucas",
					       "mAntónio", "fCamila"};
static const char *const portuguese_last[] = {"Silva", "Santos", "Ferreira", "Pereira",
					      "Oliveira", "Costa", "Rodrigues", "Martins",
					      "Gonçalves", "Sousa", "Magalhães", "Araújo",
					      "Carvalho", "Lima"};
static const char *const nordic_first[] = {"fIngrid", "fAstrid", "fFreja", "fSigrid",
					   "fMaja", "fLinnéa", "mSøren", "mBjörn", "mMagnus",
					   "mLars", "mNils", "mAnders", "mJørgen", "fKaroline"};
static const char *const nordic_last[] = {"Hansen", "Nielsen", "Jensen", "Pedersen",
					  "Andersen", "Larsen", "Sørensen", "Ødegaard",
					  "Lindqvist", "Åberg", "Johansson", "Eriksson",
					  "Kristiansen", "Holm"};
static const char *const polish_first[] = {"fZofia", "fMaja", "fAleksandra", "fAgnieszka",
					   "fMałgorzata", "fKatarzyna", "mŁukasz", "mPiotr",
					   "mKrzysztof", "mTomasz", "mPaweł", "mMichał", "mJakub",
					   "fJoanna"};
static const char *const polish_last[] = {"Nowak", "Kowalski", "Wiśniewski", "Wójcik",
					  "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
					  "Szymański", "Woźniak", "Dąbrowski", "Kozłowski",
					  "Mazur", "Krawczyk"};
static const char *const indian_first[] = {"fPriya", "fAnanya", "fDivya", "fKavya",
					   "fMeera", "fNeha", "mArjun", "mRahul", "mVikram",
					   "mAditya", "mRohan", "mKaran", "mSanjay", "fIshita"};
static const char *const indian_last[] = {"Sharma", "Patel", "Iyer", "Reddy", "Nair",
					  "Gupta", "Singh", "Kumar", "Menon", "Rao", "Desai",
					  "Joshi", "Chopra", "Banerjee"};
static const char *const chinese_first[] = {"fMei", "fXiu Ying", "fLi Na", "fYan", "fJing",
					    "fHui", "mWei", "mJun", "mHao", "mMing", "mJian",
					    "mZhi Hao", "mYong", "fLan"};
static const char *const chinese_last[] = {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang",
					   "Huang", "Zhao", "Wu", "Zhou", "Tan", "Lim", "Ng",
					   "Lee"};
static const char *const japanese_first[] = {"fYuki", "fSakura", "fHana", "fAiko", "fMisaki",
					     "fRin", "mHiroshi", "mKenji", "mTakumi", "mRen",
					     "mShōta", "mDaiki", "mHaruto", "fYui"};
static const char *const japanese_last[] = {"Satō", "Suzuki", "Takahashi", "Tanaka",
					    "Watanabe", "Itō", "Yamamoto", "Nakamura",
					    "Kobayashi", "Katō", "Yoshida", "Yamada", "Sasaki",
					    "Inoue"};
static const char *const african_first[] = {"fAmara", "fChiamaka", "fNgozi", "fWanjiru",
					    "fAmina", "fZainab", "mChinedu", "mOluwaseun",
					    "mKwame", "mJabari", "mEmeka", "mTunde", "mKofi",
					    "fAdaeze"};
static const char *const african_last[] = {"Okafor", "Adeyemi", "Okonkwo", "Mwangi",
					   "Otieno", "Kamau", "Balogun", "Nwosu", "Achieng",
					   "Mensah", "Eze", "Ogunleye", "Njoroge", "Abubakar"};
static const char *const arabic_first[] = {"fFatima", "fLayla", "fNour", "fYasmin",
					   "fMariam", "fSalma", "mOmar", "mYousef", "mKhalid",
					   "mAhmed", "mKarim", "mTariq", "mHassan", "fRania"};
static const char *const arabic_last[] = {"Al-Farsi", "Haddad", "Khoury", "Mansour",
					  "Nasser", "Saleh", "Hamdan", "Aziz", "Rahman",
					  "El-Sayed", "Darwish", "Qasim", "Farah", "Bakr"};

enum { C_ANGLO, C_GERMAN, C_FRENCH, C_SPANISH, C_PORTUGUESE, C_NORDIC, C_POLISH, C_INDIAN,
       C_CHINESE, C_JAPANESE, C_AFRICAN, C_ARABIC, C_COUNT };

static const culture cultures[C_COUNT] = {
	NAMES(anglo_first, anglo_last),
	NAMES(german_first, german_last),
	NAMES(french_first, french_last),
	NAMES(spanish_first, spanish_last),
	NAMES(portuguese_first, portuguese_last),
	NAMES(nordic_first, nordic_last),
	NAMES(polish_first, polish_last),
	NAMES(indian_first, indian_last),
	NAMES(chinese_first, chinese_last),
	NAMES(japanese_first, japanese_last),
	NAMES(african_first, african_last),
	NAMES(arabic_first, arabic_last),
};

typedef struct city {
	const char *name;
	const char *tz;
	const char *language; /* local language besides English, or NULL */
	int culture;
	unsigned weight;
} city;

static const city cities[] = {
	{"London", "Europe/London", NULL, C_ANGLO, 16},
	{"New York", "America/New_York", NULL, C_ANGLO, 14},
	{"San Francisco", "America/Los_Angeles", NULL, C_ANGLO, 8},
	{"Toronto", "America/Toronto", "French", C_ANGLO, 5},
	{"Sydney", "Australia/Sydney", NULL, C_ANGLO, 4},
	{"Berlin", "Europe/Berlin", "German", C_GERMAN, 9},
	{"Paris", "Europe/Paris", "French", C_FRENCH, 7},
	{"Madrid", "Europe/Madrid", "Spanish", C_SPANISH, 5},
	{"Mexico City", "America/Mexico_City", "Spanish", C_SPANISH, 3},
	{"Lisbon", "Europe/Lisbon", "Portuguese", C_PORTUGUESE, 4},
	{"São Paulo", "America/Sao_Paulo", "Portuguese", C_PORTUGUESE, 4},
	{"Copenhagen", "Europe/Copenhagen", "Danish", C_NORDIC, 3},
	{"Stockholm", "Europe/Stockholm", "Swedish", C_NORDIC, 2},
	{"Warsaw", "Europe/Warsaw", "Polish", C_POLISH, 4},
	{"Bengaluru", "Asia/Kolkata", "Hindi", C_INDIAN, 7},
	{"Singapore", "Asia/Singapore", "Mandarin", C_CHINESE, 4},
	{"Tokyo", "Asia/Tokyo", "Japanese", C_JAPANESE, 3},
	{"Lagos", "Africa/Lagos", "Yoruba", C_AFRICAN, 2},
	{"Nairobi", "Africa/Nairobi", "Swahili", C_AFRICAN, 2},
	{"Dubai", "Asia/Dubai", "Arabic", C_ARABIC, 2},
};

/* Title ladder by seniority band: 1-2, 3-4, 5-6, 7, 8, 9, 10. */
typedef struct department {
	const char *name;
	unsigned weight;
	const char *titles[7];
} department;

static const department departments[] = {
	{"Engineering", 30, {"Junior Software Engineer", "Software Engineer",
			     "Senior Software Engineer", "Staff Engineer", "Engineering Manager",
			     "Director of Engineering", "VP Engineering"}},
	{"Sales", 16, {"Sales Development Representative", "Account Executive",
		       "Senior Account Executive", "Sales Team Lead", "Regional Sales Manager",
		       "Director of Sales", "VP Sales"}},
	{"Customer Success", 11, {"Support Specialist", "Customer Success Manager",
				  "Senior Customer Success Manager", "Customer Success Lead",
				  "Head of Support", "Director of Customer Success",
				  "VP Customer Success"}},
	{"Operations", 9, {"Operations Associate", "Operations Analyst",
			   "Senior Operations Analyst", "Operations Lead", "Operations Manager",
			   "Director of Operations", "Chief Operating Officer"}},
	{"Product", 7, {"Associate Product Manager", "Product Manager", "Senior Product Manager",
			"Group Product Manager", "Principal Product Manager", "Director of Product",
			"VP Product"}},
	{"Marketing", 7, {"Marketing Coordinator", "Marketing Specialist",
			  "Senior Marketing Manager", "Marketing Lead", "Head of Brand",
			  "Director of Marketing", "Chief Marketing Officer"}},
	{"Finance", 6, {"Finance Assistant", "Financial Analyst", "Senior Financial Analyst",
			"Finance Manager", "Financial Controller", "Director of Finance",
			"Chief Financial Officer"}},
	{"Design", 5, {"Junior Designer", "Product Designer", "Senior Product Designer",
		       "Lead Designer", "Design Manager", "Director of Design", "VP Design"}},
	{"HR", 5, {"HR Coordinator", "HR Generalist", "Senior HR Business Partner",
		   "Talent Acquisition Lead", "HR Manager", "Director of People",
		   "Chief People Officer"}},
	{"Legal", 3, {"Paralegal", "Legal Counsel", "Senior Legal Counsel", "Lead Counsel",
		      "Associate General Counsel", "Deputy General Counsel", "General Counsel"}},
	{"Data", 6, {"Junior Data Analyst", "Data Analyst", "Senior Data Scientist",
		     "Lead Data Scientist", "Analytics Manager", "Director of Data",
		     "VP Data"}},
};

static const mt_demogen_skill skills[] = {
	{"Public speaking", NULL},
	{"Negotiation", NULL},
	{"People management", NULL},
	{"Stakeholder management", NULL},
	{"Giving feedback", NULL},
	{"Time management", NULL},
	{"Strategic thinking", NULL},
	{"Career planning", NULL},
	{"Presentation skills", NULL},
	{"Conflict resolution", NULL},
	{"Python", "Engineering"},
	{"SQL", "Data"},
	{"Kubernetes", "Engineering"},
	{"System design", "Engineering"},
	{"Cloud architecture", "Engineering"},
	{"Security", "Engineering"},
	{"Testing and QA", "Engineering"},
	{"Machine learning", "Data"},
	{"Data visualisation", "Data"},
	{"Statistics", "Data"},
	{"Prospecting", "Sales"},
	{"Closing deals", "Sales"},
	{"Account planning", "Sales"},
	{"Customer onboarding", "Customer Success"},
	{"Handling escalations", "Customer Success"},
	{"Process improvement", "Operations"},
	{"Project management", "Operations"},
	{"Supply chain", "Operations"},
	{"Product discovery", "Product"},
	{"Roadmapping", "Product"},
	{"User research", "Design"},
	{"Interaction design", "Design"},
	{"Brand strategy", "Marketing"},
	{"Content marketing", "Marketing"},
	{"SEO", "Marketing"},
	{"Financial modelling", "Finance"},
	{"Budgeting", "Finance"},
	{"Recruiting", "HR"},
	{"Employment law", "Legal"},
	{"Contract drafting", "Legal"},
};

const mt_demogen_skill *demogen_skills(size_t *n)
{
	*n = COUNT(skills);
	return skills;
}

const char *const *demogen_departments(size_t *n)
{
	static const char *const names[] = {
		"Engineering", "Sales", "Customer Success", "Operations", "Product", "Marketing",
		"Finance", "Design", "HR", "Legal", "Data",
	};
	_Static_assert(COUNT(names) == COUNT(departments), "department tables differ");
	*n = COUNT(names);
	return names;
}

/* Seniority 1..9 for non-heads, skewed low. */
static const unsigned seniority_weights[9] = {140, 180, 180, 150, 120, 90, 60, 40, 25};

static const char *title_for(const department *d, int seniority)
{
	static const int band[11] = {0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 6};
	return d->titles[band[seniority]];
}

/* ---- names and emails ------------------------------------------------- */

/* ASCII folding of the Latin letters our name tables use. */
static const struct {
	const char *utf8;
	const char *ascii;
} folds[] = {
	{"á", "a"}, {"à", "a"}, {"â", "a"}, {"ä", "a"}, {"ã", "a"}, {"å", "a"}, {"ą", "a"},
	{"Á", "a"}, {"Å", "a"}, {"Ä", "a"}, {"æ", "ae"}, {"ç", "c"}, {"ć", "c"}, {"é", "e"},
	{"è", "e"}, {"ê", "e"}, {"ë", "e"}, {"ę", "e"}, {"É", "e"}, {"í", "i"}, {"ì", "i"},
	{"î", "i"}, {"ï", "i"}, {"ł", "l"}, {"Ł", "l"}, {"ñ", "n"}, {"ń", "n"}, {"ó", "o"},
	{"ò", "o"}, {"ô", "o"}, {"ö", "o"}, {"õ", "o"}, {"ø", "o"}, {"ō", "o"}, {"Ø", "o"},
	{"Ö", "o"}, {"ś", "s"}, {"ß", "ss"}, {"ú", "u"}, {"ù", "u"}, {"û", "u"}, {"ü", "u"},
	{"Ü", "u"}, {"ý", "y"}, {"ź", "z"}, {"ż", "z"}, {"Á", "a"},
};

/* Lower-case ASCII letters of s into out (cap bytes), folding accents and
 * dropping everything else (spaces, apostrophes, hyphens). */
static size_t fold_ascii(const char *s, char *out, size_t cap)
{
	size_t o = 0;
	while (*s && o + 3 < cap) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				out[o++] = (char)(c + 32);
			else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				out[o++] = (char)c;
			s++;
			continue;
		}
		size_t len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : 2;
		for (size_t i = 0; i < COUNT(folds); i++) {
			if (strncmp(s, folds[i].utf8, len) == 0 && strlen(folds[i].utf8) == len) {
				for (const char *f = folds[i].ascii; *f; f++)
					out[o++] = *f;
				break;
			}
		}
		s += len;
	}
	out[o] = '\0';
	return o;
}

/* Counts how often each email base was used, to add 2, 3, ... */
typedef struct email_set {
	struct {
		uint64_t hash;
		const char *base;
		unsigned count;
	} *slots;
	size_t cap;
} email_set;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Returns how many times base was seen, including this time. */
static unsigned email_set_bump(email_set *set, mt_arena *a, const char *base)
{
	uint64_t h = hash_str(base);
	size_t i = h & (set->cap - 1);
	for (; set->slots[i].base; i = (i + 1) & (set->cap - 1))
		if (set->slots[i].hash == h && strcmp(set->slots[i].base, base) == 0)
			return ++set->slots[i].count;
	set->slots[i].hash = h;
	set->slots[i].base = arena_strdup(a, base);
	set->slots[i].count = 1;
	return 1;
}

static void person_name(mt_arena *a, mt_rng *r, int cult, mt_person *p, email_set *emails,
			char *gender)
{
	/* Most people carry a name from their office's culture; a third do not. */
	const culture *cf = &cultures[chance(r, 0.7) ? cult : (int)demogen_rng_below(r, C_COUNT)];
	const culture *cl = chance(r, 0.85) ? cf : &cultures[demogen_rng_below(r, C_COUNT)];
	const char *first = cf->first[demogen_rng_below(r, (uint32_t)cf->n_first)];
	const char *last = cl->last[demogen_rng_below(r, (uint32_t)cl->n_last)];
	*gender = first[0];
	first++;
	p->name = arena_printf(a, "%s %s", first, last);
	char base[160], f[64], l[64];
	fold_ascii(first, f, sizeof f);
	fold_ascii(last, l, sizeof l);
	snprintf(base, sizeof base, "%s.%s", f, l);
	unsigned n = email_set_bump(emails, a, base);
	p->email = n == 1 ? arena_printf(a, "%s@example.com", base)
			  : arena_printf(a, "%s%u@example.com", base, n);
}

/* ---- people ----------------------------------------------------------- */

static const char *date_text(mt_arena *a, int32_t day)
{
	char buf[11];
	validate_date_format(day, buf);
	return arena_strndup(a, buf, 10);
}

static const char *age_band(mt_rng *r, int seniority)
{
	static const char *const bands[] = {"18-24", "25-34", "35-44", "45-54", "55+"};
	int base = seniority <= 2 ? 0 : seniority <= 5 ? 1 : seniority <= 8 ? 2 : 3;
	int shift = (int)demogen_rng_below(r, 10);
	int b = base + (shift >= 8) - (shift == 0 && base > 0);
	return bands[b > 4 ? 4 : b];
}

static void person_details(mt_arena *a, mt_rng *r, mt_person *p, const department *d,
			   const city *c, char gender, int32_t today)
{
	p->department = d->name;
	p->job_title = title_for(d, p->seniority);
	p->location = c->name;
	p->timezone = c->tz;
	if (!c->language)
		p->languages = chance(r, 0.15) ? "English, Spanish" : "English";
	else
		p->languages = chance(r, 0.75) ? arena_printf(a, "%s, English", c->language)
					       : c->language;
	/* Tenure grows with seniority, with plenty of senior hires. */
	double span = 3650.0 * (0.25 + 0.075 * p->seniority);
	int32_t tenure = 20 + (int32_t)(demogen_rng_unit(r) * (span > 3650 ? 3650 : span));
	p->hire_date = date_text(a, today - tenure);
	p->opt_in = chance(r, 0.93);
	if (chance(r, 0.9)) {
		const char *g = gender == 'f' ? "female" : "male";
		if (chance(r, 0.02))
			g = "non-binary";
		p->demographics = arena_printf(a, "{\"gender\":\"%s\",\"age_band\":\"%s\"}", g,
					       age_band(r, p->seniority));
	}
}

typedef struct draft {
	mt_person p;
	int dept;
	size_t manager; /* index into drafts, or SIZE_MAX */
	size_t order;   /* final position */
} draft;

/* Splits n - 1 non-CEO people across departments by weight (each >= 1). */
static void department_sizes(mt_rng *r, size_t n, size_t *sizes)
{
	unsigned w[COUNT(departments)];
	for (size_t d = 0; d < COUNT(departments); d++) {
		w[d] = departments[d].weight;
		sizes[d] = 0;
	}
	for (size_t i = 1; i < n; i++)
		sizes[weighted(r, w, COUNT(departments))]++;
}

static int head_seniority(size_t dept_size)
{
	return dept_size >= 60 ? 9 : dept_size >= 12 ? 8 : 7;
}

/* Picks each person's manager among more senior people of the department:
 * the nearest level above that has anyone, then one of them at random. */
static void assign_managers(mt_rng *r, draft *dr, const size_t *idx, size_t n, size_t head)
{
	size_t *start = calloc(12, sizeof *start), *count = calloc(12, sizeof *count);
	size_t *by_level = malloc((n ? n : 1) * sizeof *by_level);
	if (!start || !count || !by_level)
		abort();
	for (size_t i = 0; i < n; i++)
		count[dr[idx[i]].p.seniority]++;
	for (int s = 1; s <= 10; s++)
		start[s + 1] = start[s] + count[s];
	size_t fill[12];
	memcpy(fill, start, sizeof fill);
	for (size_t i = 0; i < n; i++)
		by_level[fill[dr[idx[i]].p.seniority]++] = idx[i];
	for (size_t i = 0; i < n; i++) {
		draft *d = &dr[idx[i]];
		if (idx[i] == head)
			continue;
		d->manager = head;
		for (int s = d->p.seniority + 1; s <= 10; s++) {
			if (count[s]) {
				d->manager = by_level[start[s] + demogen_rng_below(r, (uint32_t)count[s])];
				break;
			}
		}
	}
	free(start);
	free(count);
	free(by_level);
}

static void draft_people(mt_arena *a, mt_rng *r, draft *dr, size_t n, int32_t today)
{
	size_t sizes[COUNT(departments)];
	unsigned cw[COUNT(cities)];
	email_set emails = {NULL, 16};
	while (emails.cap < 2 * n)
		emails.cap *= 2;
	emails.slots = calloc(emails.cap, sizeof *emails.slots);
	if (!emails.slots)
		abort();
	for (size_t c = 0; c < COUNT(cities); c++)
		cw[c] = cities[c].weight;
	department_sizes(r, n, sizes);
	size_t i = 0;
	for (size_t d = 0; d <= COUNT(departments); d++) {
		/* d == COUNT(departments) stands for the CEO, drafted first below. */
		size_t dept = d == 0 ? COUNT(departments) : d - 1;
		size_t size = dept == COUNT(departments) ? 1 : sizes[dept];
		for (size_t k = 0; k < size; k++, i++) {
			const department *dep = &departments[dept == COUNT(departments) ? 3 : dept];
			const city *c = &cities[i == 0 ? 0 : weighted(r, cw, COUNT(cities))];
			char gender;
			dr[i].dept = dept == COUNT(departments) ? -1 : (int)dept;
			dr[i].manager = SIZE_MAX;
			if (i == 0)
				dr[i].p.seniority = 10;
			else if (k == 0)
				dr[i].p.seniority = head_seniority(size);
			else
				dr[i].p.seniority = 1 + (int)weighted(r, seniority_weights,
								      (size_t)head_seniority(size) - 1);
			person_name(a, r, c->culture, &dr[i].p, &emails, &gender);
			person_details(a, r, &dr[i].p, dep, c, gender, today);
		}
	}
	dr[0].p.job_title = "Chief Executive Officer";
	free(emails.slots);
}

/* Builds the hierarchy: heads report to the CEO, the rest within their
 * department. */
static void build_hierarchy(mt_rng *r, draft *dr, size_t n)
{
	size_t *idx = malloc(n * sizeof *idx);
	if (!idx)
		abort();
	size_t i = 1;
	while (i < n) {
		size_t begin = i;
		int dept = dr[i].dept;
		while (i < n && dr[i].dept == dept)
			i++;
		for (size_t k = begin; k < i; k++)
			idx[k - begin] = k;
		dr[begin].manager = 0;
		assign_managers(r, dr, idx, i - begin, begin);
	}
	free(idx);
}

/* Final order: by seniority, descending (stable), so managers come first. */
static void order_by_seniority(draft *dr, size_t n, mt_person *out)
{
	size_t start[12] = {0};
	for (size_t i = 0; i < n; i++)
		start[10 - dr[i].p.seniority + 1]++;
	for (int s = 1; s < 12; s++)
		start[s] += start[s - 1];
	for (size_t i = 0; i < n; i++)
		dr[i].order = start[10 - dr[i].p.seniority]++;
	for (size_t i = 0; i < n; i++) {
		mt_person *p = &out[dr[i].order];
		*p = dr[i].p;
		p->id = (int64_t)dr[i].order + 1;
		if (dr[i].manager != SIZE_MAX) {
			p->manager_id = (int64_t)dr[dr[i].manager].order + 1;
			p->manager_email = dr[dr[i].manager].p.email;
		}
	}
}

void demogen_org(mt_arena *a, uint64_t seed, size_t n_people, int32_t today, mt_person **out,
		 size_t *n)
{
	mt_rng r;
	demogen_rng_seed(&r, seed);
	if (n_people == 0)
		n_people = 1;
	draft *dr = calloc(n_people, sizeof *dr);
	if (!dr)
		abort();
	draft_people(a, &r, dr, n_people, today);
	build_hierarchy(&r, dr, n_people);
	*out = arena_calloc(a, n_people, sizeof **out);
	order_by_seniority(dr, n_people, *out);
	*n = n_people;
	free(dr);
}

/* ---- program ---------------------------------------------------------- */

/* Chance that a participant of this seniority mentors (about 1 in 4.5). */
static const double mentor_chance[11] = {0, 0, 0.02, 0.06, 0.18, 0.35, 0.5, 0.65, 0.75, 0.75,
					 0.75};

/* Skills of a department (plus the general ones) as catalogue indexes. */
static size_t skill_pool(const char *dept, size_t *pool, bool general)
{
	size_t n = 0;
	for (size_t i = 0; i < COUNT(skills); i++) {
		bool home = skills[i].department && dept && strcmp(skills[i].department, dept) == 0;
		if (home || (general && !skills[i].department))
			pool[n++] = i;
	}
	return n;
}

static void pick_skills(mt_arena *a, mt_rng *r, mt_membership *m, const char *dept, size_t want,
			int lo, int hi)
{
	size_t own[COUNT(skills)], any[COUNT(skills)];
	size_t n_own = skill_pool(dept, own, false), n_any = skill_pool(NULL, any, true);
	m->skills = arena_calloc(a, want, sizeof *m->skills);
	for (size_t tries = 0; m->n_skills < want && tries < 20; tries++) {
		bool home = n_own && chance(r, 0.6);
		size_t s = home ? own[demogen_rng_below(r, (uint32_t)n_own)]
				: any[demogen_rng_below(r, (uint32_t)n_any)];
		bool dup = false;
		for (size_t i = 0; i < m->n_skills; i++)
			dup |= m->skills[i].skill == skills[s].name;
		if (dup)
			continue;
		m->skills[m->n_skills].skill = skills[s].name;
		m->skills[m->n_skills++].level = lo + (int)demogen_rng_below(r, (uint32_t)(hi - lo + 1));
	}
}

static unsigned pick_goal_areas(mt_rng *r, size_t count)
{
	static const unsigned w[MT_GOAL_CATEGORY_COUNT] = {40, 25, 15, 10, 7, 3};
	unsigned mask = 0;
	for (size_t i = 0; i < count; i++)
		mask |= 1u << weighted(r, w, MT_GOAL_CATEGORY_COUNT);
	return mask;
}

static const char *mentee_goals(mt_arena *a, mt_rng *r, const mt_membership *m,
				const mt_person *p)
{
	const char *skill = m->n_skills ? m->skills[0].skill : "my craft";
	if (m->goal_areas & (1u << MT_GOAL_PROMOTION))
		return arena_printf(a, "Grow from %s to the next level within a year, and get "
				    "better at %s.", p->job_title, skill);
	if (m->goal_areas & (1u << MT_GOAL_CERTIFICATION))
		return arena_printf(a, "Prepare for a certification and build practical %s "
				    "experience.", skill);
	static const char *const templates[] = {
		"Become confident with %s and take on bigger projects.",
		"Learn %s from someone who has done it, and widen my network.",
		"Get hands-on guidance on %s and plan my next career step.",
	};
	return arena_printf(a, PICK(r, templates), skill);
}

static const char *mentor_goals(mt_arena *a, const mt_membership *m)
{
	if (m->n_skills >= 2)
		return arena_printf(a, "Happy to help with %s and %s.", m->skills[0].skill,
				    m->skills[1].skill);
	return arena_printf(a, "Happy to help with %s.", m->skills[0].skill);
}

static int years_for(mt_rng *r, int seniority)
{
	int base = seniority <= 1 ? 0 : (seniority - 1) * 2;
	int years = base + (int)demogen_rng_below(r, 4);
	return years > 45 ? 45 : years;
}

static void membership(mt_arena *a, mt_rng *r, const mt_person *p, int32_t today,
		       mt_membership *m)
{
	static const unsigned capacity_w[5] = {20, 35, 25, 12, 8};
	m->person_id = p->id;
	m->email = p->email;
	int s = p->seniority ? p->seniority : 1;
	m->role = chance(r, mentor_chance[s]) ? MT_ROLE_MENTOR : MT_ROLE_MENTEE;
	if (m->role == MT_ROLE_MENTOR) {
		m->capacity = 1 + (int)weighted(r, capacity_w, 5);
		pick_skills(a, r, m, p->department, 2 + demogen_rng_below(r, 4), 3, 5);
		m->goal_areas = pick_goal_areas(r, demogen_rng_below(r, 3));
		m->goals = mentor_goals(a, m);
	} else {
		pick_skills(a, r, m, p->department, 1 + demogen_rng_below(r, 3), 1, 3);
		m->goal_areas = pick_goal_areas(r, 1 + demogen_rng_below(r, 3));
		m->goals = mentee_goals(a, r, m, p);
	}
	m->years_experience = years_for(r, s);
	m->status = chance(r, 0.05) ? "pending" : "active";
	int32_t joined = today - (int32_t)demogen_rng_below(r, 181), hired;
	if (p->hire_date && validate_date_parse(p->hire_date, &hired) == 0 && joined < hired)
		joined = hired;
	m->joined_on = date_text(a, joined);
}

void demogen_program(mt_arena *a, uint64_t seed, const mt_person *people, size_t n_people,
		     double participation, int32_t today, mt_membership **out, size_t *n)
{
	mt_rng r;
	demogen_rng_seed(&r, seed ^ 0x70726f6772616dull); /* "program" */
	*out = arena_calloc(a, n_people ? n_people : 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < n_people; i++) {
		const mt_person *p = &people[i];
		bool joins = chance(&r, participation);
		if (!joins || !p->opt_in || p->left_date)
			continue;
		membership(a, &r, p, today, &(*out)[(*n)++]);
	}
}
