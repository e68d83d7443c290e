/**
 * A JSON primitive.
 *
 * @public
 */
export type JsonPrimitive = string | number | boolean | null;

/**
 * A JSON object.
 *
 * @public
 */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/**
 * A JSON array.
 *
 * @public
 */
export type JsonArray = JsonValue[];

/**
 * Any JSON value.
 *
 * @public
 */
export type JsonValue = JsonPrimitive | JsonObject | JsonArray;
