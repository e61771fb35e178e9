// crm.emails: letters to clients queued for the e-mail connector (ConnectorService::send_email).
#include "bindings.h"
#include "collection.h"
#include "salescore/connectors.h"

namespace salescore::python {

namespace {
// A type of its own: pybind11 binds a C++ type once, and NativeCollection<ConnectorService>
// is the Outbox already.
struct EmailOutbox : NativeCollection<ConnectorService> {
  using NativeCollection<ConnectorService>::NativeCollection;
};
}  // namespace

void bind_emails(py::module_& m) {
  using Native = EmailOutbox;
  py::class_<Native>(m, "EmailOutbox")
      .def(py::init<NativeEngineRef>(), py::arg("engine"))
      .def("send",
           [](const Native& c, Actor actor, Id client_id, Id contact_id, std::vector<std::string> to,
              std::vector<std::string> cc, const std::string& subject, const std::string& text,
              const std::string& html, const std::string& in_reply_to, std::vector<std::string> references,
              const std::vector<std::tuple<std::string, std::string, std::string>>& attachments, bool automated,
              const std::string& key, Id reply_to) -> py::object {
             EmailDraft d;
             d.client_id = client_id;
             d.contact_id = contact_id;
             d.to = std::move(to);
             d.cc = std::move(cc);
             d.subject = subject;
             d.text = text;
             d.html = html;
             d.in_reply_to = in_reply_to;
             d.references = std::move(references);
             for (const auto& [name, type, base64] : attachments) d.attachments.push_back({name, type, base64});
             d.automated = automated;
             d.key = key;
             d.reply_to = reply_to;
             auto id = c.engine->call([&](Engine& e) { return e.connectors().send_email(actor, d); });
             return id ? py::object(py::int_(*id)) : py::object(py::none());
           });
}

}  // namespace salescore::python
