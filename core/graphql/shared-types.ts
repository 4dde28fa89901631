/**
 * Types every surface shares: date scalars, money and addresses (API-CONTRACT Appendix A,
 * "Money / addresses"). Domain records hand resolvers these source shapes:
 *   MonetaryValue ← MoneySource { value, currency (ISO code), conversionRate? }
 *   Address       ← AddressRecord (strings + countryCode)
 *   AppliedDiscount ← { value: MoneySource, date: ISO string, timeZone? }
 */
import { GraphQLScalarType, Kind } from "graphql";
import type { GraphQLModule } from "./module.ts";
import { findCountry, findCurrency, findState } from "../geo/countries.ts";

export interface MoneySource {
  value: number;
  currency: string;
  conversionRate?: number;
}

export interface AddressRecord {
  firstName?: string | null;
  lastName?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zipCode?: string | null;
  stateOrProvince?: string | null;
  cellPhoneNumber?: string | null;
  phoneNumber?: string | null;
  faxNumber?: string | null;
  email?: string | null;
  companyName?: string | null;
  attention?: string | null;
  vatNumber?: string | null;
  countryCode?: string | null;
}

export const ADDRESS_FIELDS = [
  "firstName", "lastName", "address1", "address2", "city", "zipCode", "stateOrProvince", "cellPhoneNumber",
  "phoneNumber", "faxNumber", "email", "companyName", "attention", "vatNumber",
] as const;

/** "1 500.00 SEK": space as thousands separator, the currency's decimals, ISO code suffix. */
export function formatMoney(value: number, currency: string): string {
  const decimals = findCurrency(currency)?.decimals ?? 2;
  const [whole, fraction] = Math.abs(value).toFixed(decimals).split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${value < 0 ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""} ${currency}`;
}

const passthroughString = (name: string, description: string) =>
  new GraphQLScalarType({
    name,
    description,
    serialize: (v) => String(v),
    parseValue: (v) => {
      if (typeof v !== "string") throw new TypeError(`${name} must be a string`);
      return v;
    },
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new TypeError(`${name} must be a string`);
      return ast.value;
    },
  });

export const sharedTypesModule: GraphQLModule = {
  name: "shared-types",
  typeDefs: /* GraphQL */ `
    "ISO-8601 date-time with offset on output; input also 'Y-m-d H:i:s' (read in the organization's time zone)."
    scalar DateTime
    "Calendar date 'Y-m-d'."
    scalar Date

    type Currency {
      id: Int!
      code: String!
    }
    type Country {
      id: Int!
      name: String!
      code: String!
    }
    type CountryState {
      id: Int!
      name: String!
      code: String!
    }
    type MonetaryValue {
      value: Float!
      currency: Currency!
      conversionRate: Float!
      "e.g. \\"1 500.00 SEK\\""
      formattedValue: String!
    }
    input MonetaryValueInput {
      value: Float!
      currencyIsoCode: String!
    }
    type AppliedDiscount {
      value: MonetaryValue!
      date: DateTime!
    }
    type Address {
      firstName: String
      lastName: String
      address1: String
      address2: String
      city: String
      zipCode: String
      stateOrProvince: String
      cellPhoneNumber: String
      phoneNumber: String
      faxNumber: String
      email: String
      companyName: String
      attention: String
      vatNumber: String
      country: Country
      state: CountryState
    }
    input CountryInput {
      code: String
      id: Int
    }
    input AddressInput {
      firstName: String
      lastName: String
      address1: String
      address2: String
      city: String
      zipCode: String
      stateOrProvince: String
      cellPhoneNumber: String
      phoneNumber: String
      faxNumber: String
      email: String
      companyName: String
      attention: String
      vatNumber: String
      country: CountryInput
    }
    "Order address patch: country is deliberately absent ('except country')."
    input OrderAddressInput {
      firstName: String
      lastName: String
      address1: String
      address2: String
      city: String
      zipCode: String
      stateOrProvince: String
      cellPhoneNumber: String
      phoneNumber: String
      faxNumber: String
      email: String
      companyName: String
      attention: String
      vatNumber: String
    }
  `,
  resolvers: {
    DateTime: passthroughString("DateTime", "ISO-8601 date-time"),
    Date: passthroughString("Date", "Calendar date Y-m-d"),
    MonetaryValue: {
      currency: (m: MoneySource) => findCurrency(m.currency) ?? { id: 0, code: m.currency },
      conversionRate: (m: MoneySource) => m.conversionRate ?? 1,
      formattedValue: (m: MoneySource) => formatMoney(m.value, m.currency),
    },
    Address: {
      country: (a: AddressRecord) => (a.countryCode ? (findCountry({ code: a.countryCode }) ?? null) : null),
      state: (a: AddressRecord) => findState(a.countryCode, a.stateOrProvince) ?? null,
    },
  },
};
