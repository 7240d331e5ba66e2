// The rows of a CSV as the calculators' reader counts them (Python's csv module, its default
// dialect): each record with some cell that is not blank. The page refuses a file of too many rows
// before it reaches the runtime, so this count must be the reader's on every file: quotes inside
// unquoted cells are text, a quote after a closing quote ends quoting, line ends inside quotes
// belong to the cell, CR, LF and CRLF end a line, a quote left open takes the rest of the file.

// What Python's str.strip() strips (str.isspace): a cell of these only is blank.
const SPACE = new Set([9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);
const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
// the states of CPython's Modules/_csv.c
const START_RECORD = 0;
const START_FIELD = 1;
const IN_FIELD = 2;
const IN_QUOTED = 3;
const QUOTE_IN_QUOTED = 4;
const EAT_CRNL = 5;

export function csvRecords(csv) {
  let i = 0;
  while (csv.charCodeAt(i) === 0xfeff) i++; // byte order marks before the header, as the reader drops them
  let records = 0;
  let content = false; // some cell of this record holds a character that is not blank
  let state = START_RECORD;
  const keep = (c) => {
    if (!SPACE.has(c)) content = true;
  };
  // The end of a line (Python hands the reader one line at a time): a record ends here unless a
  // quoted cell continues on the next line.
  const endOfLine = () => {
    if (state === IN_QUOTED) return;
    state = START_RECORD;
    if (content) records++;
    content = false;
  };
  for (; i < csv.length; i++) {
    const c = csv.charCodeAt(i);
    if (state === START_RECORD) state = c === LF || c === CR ? EAT_CRNL : START_FIELD;
    if (state === START_FIELD) {
      if (c === LF || c === CR) state = EAT_CRNL;
      else if (c === QUOTE) state = IN_QUOTED;
      else if (c !== COMMA) {
        keep(c);
        state = IN_FIELD;
      }
    } else if (state === IN_FIELD) {
      if (c === LF || c === CR) state = EAT_CRNL;
      else if (c === COMMA) state = START_FIELD;
      else keep(c);
    } else if (state === IN_QUOTED) {
      if (c === QUOTE) state = QUOTE_IN_QUOTED;
      else keep(c);
    } else if (state === QUOTE_IN_QUOTED) {
      if (c === QUOTE) {
        keep(c);
        state = IN_QUOTED;
      } else if (c === COMMA) state = START_FIELD;
      else if (c === LF || c === CR) state = EAT_CRNL;
      else {
        keep(c);
        state = IN_FIELD;
      }
    }
    // a line ends after LF, after CR not followed by LF
    if (c === LF || (c === CR && csv.charCodeAt(i + 1) !== LF)) endOfLine();
  }
  const last = csv.charCodeAt(csv.length - 1);
  if (csv.length && last !== LF && last !== CR) endOfLine(); // a last line without its line end
  if (state === IN_QUOTED && content) records++; // a quote left open: the rest is one record
  return records;
}
