import { retry } from "@wirefault/core";
import { parseError } from "@wirefault/teale-relay";
import OpenAI from "openai";

// maxRetries: 0, so retry() is the only loop: the client's default 2 inside it would send up to 3 × 3 = 9 requests.
export async function chat(baseURL: string, apiKey: string, model: string): Promise<string | null> {
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });
  const completion = await retry(async () => {
    try {
      return await client.chat.completions.create({ model, messages: [{ role: "user", content: "Hello" }] });
    } catch (error) {
      throw parseError(error); // unauthorized, model_not_loaded… with status and Retry-After
    }
  });
  return completion.choices[0]?.message.content ?? null;
}
