// Attachments' contents in a content-addressed store beside the database: the file
// <dir>/<first two hex digits>/<SHA-256> holds the decoded bytes, so the same attachment
// in a hundred letters is kept once, and the interaction's body names it by its hash.
#pragma once

#include <string>

#include "parsed_mail.h"

namespace salescore::email {

// Stores `a.content` (when kept) under `dir` unless that file exists; written to a
// temporary name and renamed, so a crash never leaves half a file under a hash. Returns
// "" or what went wrong.
std::string store_attachment(const std::string& dir, const MailAttachment& a);

// Where the attachment with this SHA-256 is (or would be) kept.
std::string attachment_path(const std::string& dir, const std::string& sha256);

}  // namespace salescore::email
