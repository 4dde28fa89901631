/**
 * Reference data shared by every surface: countries (Centra Int ids: Sweden is 6, as in seed 002),
 * their states, and currencies (SEK is 3). Small and static, so it lives in code, not the table.
 */
export interface Country {
  id: number;
  code: string;
  name: string;
}
export interface CountryState {
  id: number;
  code: string;
  name: string;
}
export interface Currency {
  id: number;
  code: string;
  decimals: number;
}

const COUNTRY_LIST: Array<[string, string]> = [
  ["US", "United States"], ["GB", "United Kingdom"], ["DE", "Germany"], ["FR", "France"], ["NO", "Norway"],
  ["SE", "Sweden"], ["DK", "Denmark"], ["FI", "Finland"], ["NL", "Netherlands"], ["BE", "Belgium"],
  ["ES", "Spain"], ["IT", "Italy"], ["PL", "Poland"], ["AT", "Austria"], ["CH", "Switzerland"],
  ["IE", "Ireland"], ["PT", "Portugal"], ["CA", "Canada"], ["AU", "Australia"], ["NZ", "New Zealand"],
  ["JP", "Japan"], ["CN", "China"], ["IN", "India"], ["BR", "Brazil"], ["MX", "Mexico"],
  ["IS", "Iceland"], ["EE", "Estonia"], ["LV", "Latvia"], ["LT", "Lithuania"], ["CZ", "Czechia"],
];

/** Ids are positions in the list above (1-based): stable as long as the list is only appended to. */
export const COUNTRIES: Country[] = COUNTRY_LIST.map(([code, name], i) => ({ id: i + 1, code, name }));

const US_STATES: Array<[string, string]> = [
  ["AL", "Alabama"], ["AK", "Alaska"], ["AZ", "Arizona"], ["AR", "Arkansas"], ["CA", "California"], ["CO", "Colorado"],
  ["CT", "Connecticut"], ["DE", "Delaware"], ["DC", "District of Columbia"], ["FL", "Florida"], ["GA", "Georgia"],
  ["HI", "Hawaii"], ["ID", "Idaho"], ["IL", "Illinois"], ["IN", "Indiana"], ["IA", "Iowa"], ["KS", "Kansas"],
  ["KY", "Kentucky"], ["LA", "Louisiana"], ["ME", "Maine"], ["MD", "Maryland"], ["MA", "Massachusetts"],
  ["MI", "Michigan"], ["MN", "Minnesota"], ["MS", "Mississippi"], ["MO", "Missouri"], ["MT", "Montana"],
  ["NE", "Nebraska"], ["NV", "Nevada"], ["NH", "New Hampshire"], ["NJ", "New Jersey"], ["NM", "New Mexico"],
  ["NY", "New York"], ["NC", "North Carolina"], ["ND", "North Dakota"], ["OH", "Ohio"], ["OK", "Oklahoma"],
  ["OR", "Oregon"], ["PA", "Pennsylvania"], ["RI", "Rhode Island"], ["SC", "South Carolina"], ["SD", "South Dakota"],
  ["TN", "Tennessee"], ["TX", "Texas"], ["UT", "Utah"], ["VT", "Vermont"], ["VA", "Virginia"], ["WA", "Washington"],
  ["WV", "West Virginia"], ["WI", "Wisconsin"], ["WY", "Wyoming"],
];

const STATES: Record<string, CountryState[]> = {
  US: US_STATES.map(([code, name], i) => ({ id: i + 1, code, name })),
};

export const CURRENCIES: Currency[] = [
  { id: 1, code: "USD", decimals: 2 },
  { id: 2, code: "EUR", decimals: 2 },
  { id: 3, code: "SEK", decimals: 2 },
  { id: 4, code: "GBP", decimals: 2 },
  { id: 5, code: "NOK", decimals: 2 },
  { id: 6, code: "DKK", decimals: 2 },
  { id: 7, code: "JPY", decimals: 0 },
];

export function findCountry(ref: { code?: string | null; id?: number | null }): Country | undefined {
  if (ref.code != null) return COUNTRIES.find((c) => c.code === ref.code!.toUpperCase());
  if (ref.id != null) return COUNTRIES.find((c) => c.id === ref.id);
  return undefined;
}

export function findCurrency(code: string): Currency | undefined {
  return CURRENCIES.find((c) => c.code === code.toUpperCase());
}

/** The state of a country by code or name (case-insensitive); undefined when unknown. */
export function findState(countryCode: string | null | undefined, value: string | null | undefined): CountryState | undefined {
  if (!countryCode || !value) return undefined;
  const states = STATES[countryCode.toUpperCase()];
  const needle = value.trim().toLowerCase();
  return states?.find((s) => s.code.toLowerCase() === needle || s.name.toLowerCase() === needle);
}

/**
 * stateOrProvince as stored: a known state name or code becomes its code ("Alaska" → "AK",
 * API-CONTRACT I-27); anything else is kept verbatim.
 */
export function normalizeStateOrProvince(countryCode: string | null | undefined, value: string | null | undefined): string | null {
  if (value == null) return null;
  return findState(countryCode, value)?.code ?? value;
}
