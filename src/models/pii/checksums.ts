// Check-digit algorithms of the identifiers Parley redacts. A checksum turns "looks like" into
// "is": a random digit string passes Luhn or Verhoeff one time in ten, a mod-97 check one in 97.

/** Luhn (ISO/IEC 7812): payment card numbers. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** ISO 13616 mod-97 over an IBAN without spaces (upper case). */
export function isIbanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    // Letters count as two digits (A = 10 … Z = 35).
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

const VERHOEFF_MULTIPLY = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_PERMUTE = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** Verhoeff (dihedral group D5): India's Aadhaar numbers. */
export function isVerhoeffValid(digits: string): boolean {
  let check = 0;
  for (let index = 0; index < digits.length; index++) {
    const digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    check = VERHOEFF_MULTIPLY[check]![VERHOEFF_PERMUTE[index % 8]![digit]!]!;
  }
  return check === 0;
}

/** The Verhoeff check digit to append to `digits` (for generating test data). */
export function verhoeffCheckDigit(digits: string): number {
  for (let candidate = 0; candidate <= 9; candidate++) {
    if (isVerhoeffValid(`${digits}${candidate}`)) return candidate;
  }
  throw new Error('unreachable: one Verhoeff digit always fits');
}

/** Thailand's 13-digit citizen id: weights 13..2 over the first twelve digits, mod 11. */
export function isThaiIdValid(digits: string): boolean {
  if (digits.length !== 13) return false;
  let sum = 0;
  for (let index = 0; index < 12; index++) sum += (digits.charCodeAt(index) - 48) * (13 - index);
  return (11 - (sum % 11)) % 10 === digits.charCodeAt(12) - 48;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spain's DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): number mod 23. */
export function isSpanishIdValid(value: string): boolean {
  const id = value.toUpperCase();
  const match = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(id);
  if (!match) return false;
  const [, prefix, digits, letter] = match as unknown as [string, string, string, string];
  if (prefix === '' ? digits.length !== 8 : digits.length !== 7) return false;
  const number = Number(`${prefix === '' ? '' : 'XYZ'.indexOf(prefix)}${digits}`);
  return DNI_LETTERS[number % 23] === letter;
}

// Italian codice fiscale: the check letter weights odd and even positions differently.
const CF_ODD: Record<string, number> = {};
const ODD_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
for (let index = 0; index < 26; index++) {
  CF_ODD[String.fromCharCode(65 + index)] = ODD_VALUES[index]!;
  if (index < 10) CF_ODD[String(index)] = ODD_VALUES[index]!;
}

/** Italy's codice fiscale (16 characters, including omocodia letters) with its check letter. */
export function isCodiceFiscaleValid(value: string): boolean {
  const code = value.toUpperCase();
  if (code.length !== 16) return false;
  let sum = 0;
  for (let index = 0; index < 15; index++) {
    const character = code[index]!;
    if (index % 2 === 0) {
      sum += CF_ODD[character] ?? 0;
    } else {
      const digit = character.charCodeAt(0) - 48;
      sum += digit >= 0 && digit <= 9 ? digit : character.charCodeAt(0) - 65;
    }
  }
  return String.fromCharCode(65 + (sum % 26)) === code[15];
}
