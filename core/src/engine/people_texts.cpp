#include "engine/people_texts.h"

#include <map>

#include "engine/engine_state.h"

namespace salescore::detail {
namespace {

// key -> {ru, en, zh, bg}. Placeholders {1}..{9} may move within a sentence.
struct Texts {
  const char* ru;
  const char* en;
  const char* zh;
  const char* bg;
};

const std::map<std::string_view, Texts>& table() {
  static const std::map<std::string_view, Texts> t = {
      {"lead.answer",
       {"Ответить на заявку №{1} ({2})", "Answer lead #{1} ({2})", "回复线索 #{1}（{2}）", "Отговорете на запитване №{1} ({2})"}},
      {"lead.answer.escalated",
       {"Ответить на заявку №{1} ({2}), переданную руководителю", "Answer lead #{1} ({2}), escalated to you",
        "回复已升级给您的线索 #{1}（{2}）", "Отговорете на запитване №{1} ({2}), ескалирано към вас"}},
      {"lead.client_notes", {"Из заявки №{1}", "From lead #{1}", "来自线索 #{1}", "От запитване №{1}"}},
      {"lead.deal_title", {"Заявка №{1}", "Lead #{1}", "线索 #{1}", "Запитване №{1}"}},
      {"claim.investigate",
       {"Разобрать рекламацию №{1} ({2}): {3}", "Investigate claim #{1} ({2}): {3}", "调查投诉 #{1}（{2}）：{3}",
        "Разгледайте рекламация №{1} ({2}): {3}"}},
      {"call.back",
       {"Перезвонить {1}: пропущенный звонок {2}", "Call back {1}: missed call {2}", "回电 {1}：未接来电 {2}",
        "Върнете обаждане на {1}: пропуснато обаждане {2}"}},
      {"installment",
       {"платёж {1} по заказу {2}, {3} {4}, срок {5}", "installment {1} of order {2}, {3} {4} due {5}",
        "订单 {2} 的第 {1} 期付款，{3} {4}，到期 {5}", "вноска {1} по поръчка {2}, {3} {4}, падеж {5}"}},
      {"installment.overdue",
       {"Просрочено: {1} не оплатил {2}", "Overdue: {1} has not paid {2}", "逾期：{1} 未支付{2}",
        "Просрочено: {1} не е платил {2}"}},
      {"installment.mid",
       {"Напомнить {1}: {2} (середина срока)", "Remind {1}: {2} (mid-term)", "提醒 {1}：{2}（期中）",
        "Напомнете на {1}: {2} (средата на срока)"}},
      {"installment.soon",
       {"Напомнить {1}: {2} (остался день)", "Remind {1}: {2} (due in a day)", "提醒 {1}：{2}（还剩一天）",
        "Напомнете на {1}: {2} (остава един ден)"}},
      {"segment.hot",
       {"Написать {1}: недавно купил (горячий: сообщение раз в неделю)",
        "Message {1}: bought recently (hot: a message every week)", "给 {1} 发消息：近期已购买（热：每周一条消息）",
        "Пишете на {1}: купил наскоро (горещ: съобщение всяка седмица)"}},
      {"segment.warm",
       {"Позвонить {1} (тёплый: звонок раз в две недели)", "Call {1} (warm: a call every two weeks)",
        "给 {1} 打电话（温：每两周一次）", "Обадете се на {1} (топъл: обаждане на всеки две седмици)"}},
      {"segment.cooling",
       {"Позвонить {1} с предложением: нет заказов {2} дн. (остывает)",
        "Call {1} with an offer: no order for {2} days (cooling)", "带着报价给 {1} 打电话：{2} 天没有订单（降温）",
        "Обадете се на {1} с предложение: няма поръчка от {2} дни (изстиващ)"}},
      {"segment.sleeping",
       {"Позвонить спящему клиенту {1} с предложением", "Wake-up call to {1} with an offer (sleeping)",
        "唤醒 {1}：带着报价打电话（沉睡）", "Събудете {1}: обаждане с предложение (спящ)"}},
      {"contract.expired",
       {"Договор {1} истёк: продлите его или завершите отношения",
        "Contract {1} expired: renew it or close the relationship", "合同 {1} 已到期：续签或结束合作",
        "Договор {1} изтече: подновете го или прекратете отношенията"}},
      {"approval.decide",
       {"Согласовать запрос №{1}: {2} ({3})", "Decide approval #{1}: {2} ({3})", "审批 #{1}：{2}（{3}）",
        "Решете одобрение №{1}: {2} ({3})"}},
      {"approval.asked_by", {"Просит {1}: {2}", "Asked by {1}: {2}", "申请人 {1}：{2}", "Иска {1}: {2}"}},
      {"approval.approved",
       {"{1}: согласовано, {2}", "{1} approved by {2}", "{1} 已由 {2} 批准", "{1}: одобрено от {2}"}},
      {"approval.rejected",
       {"{1}: отклонено, {2}", "{1} rejected by {2}", "{1} 已被 {2} 拒绝", "{1}: отхвърлено от {2}"}},
      {"subject.proposal", {"КП №{1}", "Proposal #{1}", "报价 #{1}", "Оферта №{1}"}},
      {"subject.contract", {"Договор №{1}", "Contract #{1}", "合同 #{1}", "Договор №{1}"}},
      {"subject.discount",
       {"Скидка {1} % по сделке №{2}", "Discount {1}% on deal #{2}", "交易 #{2} 折扣 {1}%",
        "Отстъпка {1} % по сделка №{2}"}},
      {"subject.visit", {"Визит к клиенту №{1}", "Visit to client #{1}", "拜访客户 #{1}", "Посещение при клиент №{1}"}},
      {"subject.visit_at",
       {"Визит к клиенту №{1} в {2}", "Visit to client #{1} at {2}", "{2} 拜访客户 #{1}",
        "Посещение при клиент №{1} в {2}"}},
      {"proposal.receipt",
       {"Убедиться, что {1} получил КП №{2}", "Make sure {1} received proposal {2}", "确认 {1} 已收到报价 {2}",
        "Уверете се, че {1} е получил оферта {2}"}},
      {"proposal.accepted",
       {"Клиент принял КП №{1}: подготовьте договор или заказ",
        "The client accepted proposal {1}: prepare the contract or order", "客户已接受报价 {1}：准备合同或订单",
        "Клиентът прие оферта {1}: подгответе договора или поръчката"}},
      {"the_client", {"клиент", "the client", "客户", "клиентът"}},
  };
  return t;
}

}  // namespace

std::string people_text(std::string_view lang, std::string_view key, const std::vector<std::string>& args) {
  const auto& t = table();
  auto it = t.find(key);
  if (it == t.end()) return std::string(key);
  const Texts& x = it->second;
  const std::string_view form = lang == "ru" ? x.ru : lang == "zh" ? x.zh : lang == "bg" ? x.bg : x.en;
  std::string out;
  for (std::size_t i = 0; i < form.size(); ++i) {
    if (form[i] == '{' && i + 2 < form.size() && form[i + 2] == '}' && form[i + 1] >= '1' && form[i + 1] <= '9') {
      const std::size_t n = static_cast<std::size_t>(form[i + 1] - '1');
      if (n < args.size()) out += args[n];
      i += 2;
      continue;
    }
    out += form[i];
  }
  return out;
}

std::string say(const EngineState& s, std::string_view key, const std::vector<std::string>& args) {
  return people_text(s.config.language, key, args);
}

}  // namespace salescore::detail
