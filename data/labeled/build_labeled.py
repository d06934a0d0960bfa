#!/usr/bin/env python3
"""Assembles the labeled evaluation set data/labeled/*.jsonl from hand-written listings.

Every listing is written by hand, one per line, in data/labeled/src/<theme>.txt:

    LABELS | title | detail | fields

  LABELS   letters, one per rule category the listing truly violates, or '-' for a clean listing:
             T fake_time_limit (3.1)        F fake_freebie (3.2)       C fake_clearance (3.3)
             W welfare_not_listed (3.4)     U unreasonable_conditions (3.5)
             P private_traffic              A ad_absolute_terms (Advertising Law art. 9)
  title    the listing title, as written
  detail   the detail page: paragraphs separated by ' / ' (HTML may be written inline); empty for
           a listing whose detail page says nothing beyond the product facts
  fields   optional, space-separated: p=PRICE op=ORIGINAL_PRICE s=STOCK q=MIN_ORDER_QTY
           sf=SHIPPING_FEE st=STATUS (on_sale|off_shelf) id=ITEM_ID m=MERCHANT
           note=TEXT (underscores for spaces); op=- drops original_price

Lines starting with '#' are comments; '@cat NAME' sets the product category of the following
listings; '@m MERCHANT' their merchant.

What this script adds is only the wrapping: item ids (<PREFIX><number> unless id= is given), the
HTML skeleton around the hand-written paragraphs, a product-facts line and an after-sales line
taken from small hand-written pools below (all clean), and, where not given, a stock figure and a
plain original price. The wrapping is chosen from a hash of the title, so the output is the same
on every run:

    python3 data/labeled/build_labeled.py            # rewrites data/labeled/*.jsonl
    python3 data/labeled/build_labeled.py --check    # exits 1 if a .jsonl is out of date
"""
import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")

CATEGORIES = {
    "T": "fake_time_limit",
    "F": "fake_freebie",
    "C": "fake_clearance",
    "W": "welfare_not_listed",
    "U": "unreasonable_conditions",
    "P": "private_traffic",
    "A": "ad_absolute_terms",
}

# Item-id prefix per source file.
PREFIX = {
    "time_limit": "TL",
    "freebie": "FB",
    "clearance": "CL",
    "conditions": "CD",
    "welfare_listing": "WL",
    "private_traffic": "PT",
    "ad_law": "AD",
    "evasive": "EV",
    "everyday": "EDY",
    "livestream": "LS",
    "careful": "CF",
    "holdout": "HO",
}

# Product facts per product category: hand-written, clean.
FACTS = {
    "服饰": ["面料：95%棉 5%氨纶", "尺码：S/M/L/XL/2XL，建议参考尺码表", "颜色：黑色、白色、雾霾蓝",
             "洗涤：30℃以下手洗，不可漂白", "版型：宽松落肩"],
    "鞋靴": ["鞋面：头层牛皮", "鞋底：橡胶防滑大底", "尺码：35-44码，偏大半码", "跟高：3cm"],
    "美妆": ["净含量：50ml", "保质期：3年，开封后12个月内用完", "适合肤质：各种肤质", "产地：上海"],
    "食品": ["配料表：详见包装", "储存：阴凉干燥处，开封后尽快食用", "保质期：180天", "产地：四川成都",
             "净含量：500g"],
    "生鲜": ["发货：顺丰冷链", "规格：单果约200g", "产地：云南", "储存：0-4℃冷藏"],
    "数码": ["接口：Type-C", "电池容量：5000mAh", "保修：全国联保一年", "兼容：iOS/安卓"],
    "家电": ["额定功率：1200W", "电压：220V", "能效：详见能效标识", "保修：整机一年"],
    "家居": ["材质：实木框架+环保板材", "尺寸：详见尺寸图", "安装：附安装说明书", "颜色：原木色/胡桃色"],
    "母婴": ["适用年龄：0-3岁", "材质：食品级硅胶", "执行标准：GB 4806", "清洗：可高温消毒"],
    "运动": ["材质：TPE", "尺寸：183×61cm", "厚度：6mm", "适用：瑜伽、普拉提"],
    "宠物": ["适用：全犬种", "净含量：2kg", "主要原料：鸡肉、糙米", "储存：密封防潮"],
    "图书": ["出版社：人民文学出版社", "装帧：平装", "页数：320页", "开本：16开"],
    "珠宝": ["材质：S925银", "重量：约2.1g", "附：品牌包装盒、证书"],
    "酒水": ["酒精度：52%vol", "净含量：500ml", "香型：浓香型", "储存：避光常温"],
    "日用": ["规格：3卷装", "材质：原生木浆", "产地：广东"],
    "汽车用品": ["适用车型：通用", "材质：PU皮革", "安装：免打孔"],
}
DEFAULT_FACTS = ["规格：详见页面", "产地：中国"]

# After-sales lines: hand-written, clean.
AFTER_SALES = [
    "支持7天无理由退换（影响二次销售的除外）。",
    "如有质量问题，请在平台内联系在线客服处理。",
    "默认中通快递，下单后48小时内发货。",
    "收到商品请先验货，签收后有问题请走平台售后。",
    "本店商品均为实物拍摄，因显示器不同可能略有色差。",
    "订单可在“我的订单”中查看物流进度。",
    "发票请在订单备注中注明抬头和税号。",
    "退换货请保持吊牌、包装完好。",
    "",
    "",
]

TEMPLATES = ["div_p", "list", "h3_img", "table", "br", "section"]


def h(s):
    return int(hashlib.sha256(s.encode("utf-8")).hexdigest(), 16)


def render_detail(paragraphs, facts, after, kind, seed):
    img = '<img src="https://img.example.com/p/%08x.jpg" alt="">' % (seed & 0xFFFFFFFF)
    if kind == "div_p":
        body = "".join("<p>%s</p>" % p for p in paragraphs)
        return '<div class="detail">%s<p>%s</p>%s</div>' % (body, facts, "<p>%s</p>" % after if after else "")
    if kind == "list":
        items = "".join("<li>%s</li>" % p for p in paragraphs)
        return "<ul>%s<li>%s</li></ul>%s" % (items, facts, "<p>%s</p>" % after if after else "")
    if kind == "h3_img":
        body = "".join("<p>%s</p>" % p for p in paragraphs)
        return "<div><h3>商品详情</h3>%s%s<p>%s</p></div>%s" % (body, img, facts,
                                                             "<p><small>%s</small></p>" % after if after else "")
    if kind == "table":
        k, _, v = facts.partition("：")
        body = "".join("<p>%s</p>" % p for p in paragraphs)
        return "%s<table><tr><td>%s</td><td>%s</td></tr></table>%s" % (body, k, v, "<p>%s</p>" % after if after else "")
    if kind == "br":
        return "<br>".join(paragraphs + [facts] + ([after] if after else []))
    body = "".join("<p>%s</p>" % p for p in paragraphs)
    return '<section class="desc">%s%s<p>%s</p></section>' % (img, body, facts)


def parse_fields(text, where):
    out = {}
    for tok in text.split():
        if "=" not in tok:
            sys.exit("%s: bad field %r (want key=value)" % (where, tok))
        k, v = tok.split("=", 1)
        if k not in ("p", "op", "s", "q", "sf", "st", "id", "m", "note"):
            sys.exit("%s: unknown field %r" % (where, k))
        out[k] = v
    return out


def num(v, where):
    try:
        x = float(v)
    except ValueError:
        sys.exit("%s: not a number: %r" % (where, v))
    return int(x) if x == int(x) else x


def build_file(name):
    stem = name[:-4]
    prefix = PREFIX.get(stem)
    if prefix is None:
        sys.exit("src/%s: no item-id prefix for this file in PREFIX" % name)
    records = []
    cat = "日用"
    merchant = None
    n = 0
    with open(os.path.join(SRC, name), encoding="utf-8") as f:
        for line_no, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            where = "src/%s:%d" % (name, line_no)
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("@cat "):
                cat = line[5:].strip()
                continue
            if line.startswith("@m "):
                merchant = line[3:].strip()
                continue
            parts = [p.strip() for p in line.split(" | ")]
            if len(parts) < 2 or len(parts) > 4:
                sys.exit("%s: want 'LABELS | title | detail | fields', got %d parts" % (where, len(parts)))
            while len(parts) < 4:
                parts.append("")
            codes, title, detail, fields = parts
            if codes == "-":
                labels = []
            else:
                bad = [c for c in codes if c not in CATEGORIES]
                if bad:
                    sys.exit("%s: unknown label letter(s) %r" % (where, "".join(bad)))
                labels = sorted({CATEGORIES[c] for c in codes})
            if not title:
                sys.exit("%s: empty title" % where)
            fd = parse_fields(fields, where)
            n += 1
            seed = h(stem + title + detail)
            item_id = fd.get("id", "%s%04d" % (prefix, n))
            price = num(fd["p"], where) if "p" in fd else round(9.9 + (seed % 300), 1)
            rec = {"item_id": item_id,
                   "merchant_id": fd.get("m", merchant or "LM%03d" % (seed % 97 + 1)),
                   "title": title}
            paragraphs = [p for p in (x.strip() for x in detail.split(" / ")) if p] if detail else []
            facts_pool = FACTS.get(cat, DEFAULT_FACTS)
            facts = facts_pool[(seed >> 8) % len(facts_pool)]
            after = AFTER_SALES[(seed >> 16) % len(AFTER_SALES)]
            if not paragraphs:
                paragraphs = [title]
            rec["detail_html"] = render_detail(paragraphs, facts, after,
                                               TEMPLATES[(seed >> 24) % len(TEMPLATES)], seed)
            rec["price"] = price
            if fd.get("op") == "-":
                pass
            elif "op" in fd:
                rec["original_price"] = num(fd["op"], where)
            elif (seed >> 32) % 10 < 6:
                # A plain list price a little above the price, as most real listings have.
                rec["original_price"] = round(price * (1.1 + ((seed >> 40) % 50) / 100.0))
            rec["stock"] = num(fd["s"], where) if "s" in fd else 20 + (seed >> 48) % 1980
            rec["min_order_qty"] = num(fd["q"], where) if "q" in fd else 1
            rec["shipping_fee"] = num(fd["sf"], where) if "sf" in fd else 0
            rec["category"] = cat
            rec["status"] = fd.get("st", "on_sale")
            rec["labels"] = labels
            if "note" in fd:
                rec["note"] = fd["note"].replace("_", " ")
            records.append(rec)
    return stem, records


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="exit 1 if a .jsonl differs from what src/ makes")
    args = ap.parse_args()
    seen = {}
    stale = []
    total = positive = 0
    for name in sorted(os.listdir(SRC)):
        if not name.endswith(".txt"):
            continue
        stem, records = build_file(name)
        for r in records:
            if r["item_id"] in seen:
                sys.exit("src/%s: item_id %s already used in %s" % (name, r["item_id"], seen[r["item_id"]]))
            seen[r["item_id"]] = name
        total += len(records)
        positive += sum(1 for r in records if r["labels"])
        text = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)
        out = os.path.join(HERE, stem + ".jsonl")
        old = open(out, encoding="utf-8").read() if os.path.exists(out) else None
        if old != text:
            if args.check:
                stale.append(out)
            else:
                with open(out, "w", encoding="utf-8") as f:
                    f.write(text)
    if stale:
        sys.exit("out of date (run python3 data/labeled/build_labeled.py): " + ", ".join(stale))
    print("%d listings, %d with a label (%.0f%%)" % (total, positive, 100.0 * positive / max(total, 1)))


if __name__ == "__main__":
    main()
