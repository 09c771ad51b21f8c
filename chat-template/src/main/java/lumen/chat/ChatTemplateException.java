package lumen.chat;

import lumen.LumenException;

/** A chat template that does not parse, or fails while rendering; the message names line:column. */
public class ChatTemplateException extends LumenException {
    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
