import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { retry } from "@wirefault/core";
import { parseError } from "@wirefault/teale-relay";
import { generateText } from "ai";

// maxRetries: 0, so retry() is the only loop: the SDK's default 2 inside it would send up to 3 × 3 = 9 requests.
export async function chat(baseURL: string, apiKey: string, model: string): Promise<string> {
  const teale = createOpenAICompatible({ name: "teale", baseURL, apiKey });
  const { text } = await retry(async () => {
    try {
      return await generateText({ model: teale(model), prompt: "Hello", maxRetries: 0 });
    } catch (error) {
      throw parseError(error); // a RetryError is read through its last error
    }
  });
  return text;
}
