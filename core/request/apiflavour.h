#pragma once

namespace coord {

// The user API a request speaks. It decides how the stream flag and the text used for
// scheduling are read from the body, and how an answer's tokens are counted.
enum class ApiFlavour
{
    Tgi,       // POST /, /generate (with "inputs"), /generate_stream
    Vllm,      // POST /generate with "prompt"
    OpenAi,    // POST /v1/chat/completions, /v1/completions
    Triton,    // POST /v2/models/{m}/generate, generate_stream, infer
    MindIe,    // POST /infer, /infer_token
    Tokenizer, // POST /v1/tokenizer: not scheduled, sent to the least busy instance
};

const char* flavourName(ApiFlavour flavour);

} // namespace coord
