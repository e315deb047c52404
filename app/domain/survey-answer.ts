import { z } from "zod";
import { parseOrderId } from "./order-gid";
import { wellFormed } from "./text";

export interface FieldError {
  field: string;
  message: string;
}

export const MAX_COMMENT_LENGTH = 2000;

const integerIn = (field: string, min: number, max: number) =>
  z
    .number({
      invalid_type_error: `${field} must be an integer from ${min} to ${max}`,
      required_error: `${field} is required`,
    })
    .int(`${field} must be an integer from ${min} to ${max}`)
    .min(min, `${field} must be an integer from ${min} to ${max}`)
    .max(max, `${field} must be an integer from ${min} to ${max}`);

// Comment length counts characters as people see them (code points), so an emoji is one. Half an emoji (a lone
// surrogate, as text cut at a code-unit limit leaves) becomes U+FFFD; a NUL character is refused.
const commentSchema = z
  .string({ invalid_type_error: "comment must be text" })
  .refine((value) => !value.includes("\u0000"), { message: "comment cannot contain NUL characters" })
  .transform((value) => wellFormed(value).trim())
  .refine((value) => [...value].length <= MAX_COMMENT_LENGTH, {
    message: `comment must be at most ${MAX_COMMENT_LENGTH} characters`,
  })
  .transform((value) => (value === "" ? undefined : value));

export const surveyAnswerSchema = z
  .object(
    {
      orderId: z
        .string({ required_error: "orderId is required", invalid_type_error: "orderId must be a string" })
        .transform((value, context) => {
          const id = parseOrderId(value);
          if (!id) {
            context.addIssue({
              code: z.ZodIssueCode.custom,
              message: "orderId must be an order id such as gid://shopify/Order/1001",
            });
            return z.NEVER;
          }
          return id;
        }),
      score: integerIn("score", 0, 10),
      comment: commentSchema
        .optional()
        .nullable()
        .transform((value) => value ?? undefined),
      csat: integerIn("csat", 1, 5)
        .optional()
        .nullable()
        .transform((value) => value ?? undefined),
      ces: integerIn("ces", 1, 7)
        .optional()
        .nullable()
        .transform((value) => value ?? undefined),
      locale: z
        .string({ invalid_type_error: "locale must be a language tag such as en or fr-CA" })
        .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "locale must be a language tag such as en or fr-CA")
        .max(35, "locale must be at most 35 characters")
        .optional(),
    },
    { invalid_type_error: "body must be a JSON object" },
  )
  .strict("unknown field in the answer");

export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;

export function fieldErrorsFrom(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      const keys = issue.keys.map((key) => (key === "" ? '""' : key));
      return { field: keys.join(", "), message: `unknown field${keys.length > 1 ? "s" : ""}` };
    }
    return { field: issue.path.length > 0 ? issue.path.join(".") : "body", message: issue.message };
  });
}
