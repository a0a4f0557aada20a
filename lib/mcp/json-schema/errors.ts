/**
 * A schema that cannot be compiled: invalid for its dialect (a keyword of the wrong type, a
 * regular expression that does not compile), or using what is not supported (another `$schema`
 * dialect, a `$ref` outside the document, `$dynamicRef`). The message says where, as a JSON
 * Pointer into the schema (`#/properties/age`), and what is wrong.
 */
export class SchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaError';
  }
}
