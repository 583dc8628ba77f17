import { describe, expect, it } from "vitest";
import { userErrorsMessage } from "./user-errors";

describe("userErrorsMessage", () => {
  it.each([
    ["code, field path and message", [{ code: "TAKEN", field: ["metafields", "0", "key"], message: "Key is taken" }], "TAKEN metafields.0.key Key is taken"],
    ["no code — tagsAdd's userErrors have none", [{ field: ["id"], message: "Customer does not exist" }], "id Customer does not exist"],
    ["a null code and field", [{ code: null, field: null, message: "Refused" }], "Refused"],
    ["an empty field path", [{ field: [], message: "Refused" }], "Refused"],
    [
      "several errors, in order",
      [
        { code: "INVALID", field: ["shopPolicy", "body"], message: "Body is too long" },
        { code: "BLANK", field: ["shopPolicy", "type"], message: "Type can't be blank" },
      ],
      "INVALID shopPolicy.body Body is too long; BLANK shopPolicy.type Type can't be blank",
    ],
    ["none at all", [], "rejected"],
    ["nothing but empty parts", [{ code: "", field: null, message: "" }], "rejected"],
  ])("%s", (_what, userErrors, message) => {
    expect(userErrorsMessage(userErrors)).toBe(message);
  });
});
