/* Tekan: Sphinx's default search scores, with one change — the pages that only list statements (the
 * home page and the sector pages) rank below the statements themselves when a word matches both. */
var Scorer = {
  score: (result) => {
    const [docname, title, anchor, descr, score] = result;
    const listing = docname === "index" || docname.startsWith("sectors/");
    return listing ? score - 3 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
